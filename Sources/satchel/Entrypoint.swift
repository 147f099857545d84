// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import SatchelREPL

@main
enum Entrypoint {
    static func main() {
        exit(SatchelCommand.execute(Array(CommandLine.arguments.dropFirst())))
    }
}
