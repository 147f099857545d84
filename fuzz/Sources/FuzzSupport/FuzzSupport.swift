// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

/// What every fuzz target shares: starting libFuzzer's driver (sanitizer builds) and
/// replaying a corpus through the same entry point (normal builds, CI). fuzz/README.md.
public enum FuzzSupport {
    /// A target's `LLVMFuzzerTestOneInput`.
    public typealias Entry = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    #if FUZZING
    /// SwiftPM links every executable with `main` renamed to `<Target>_main` (so tests can
    /// link executables); libFuzzer's own `main` is then never used, so each target's
    /// `<Target>_main` starts the driver through here.
    public static func runDriver(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ entry: Entry
    ) -> CInt {
        var count = argc
        var vector = argv
        return runFuzzerDriver(&count, &vector, entry)
    }
    #endif

    /// Runs every file named (directories recursively, in sorted order) through `entry`.
    /// Returns the exit status: 0 when all were replayed, 1 when a path is missing or
    /// unreadable, 2 without arguments.
    public static func replay(_ paths: [String], entry: Entry) -> Int32 {
        guard !paths.isEmpty else {
            FileHandle.standardError.write(Data("usage: \(CommandLine.arguments.first ?? "fuzz-target") FILE|DIR...\n".utf8))
            return 2
        }
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("\(path): no such file or directory\n".utf8))
                return 1
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let found = FileManager.default.enumerator(at: URL(fileURLWithPath: path), includingPropertiesForKeys: [.isRegularFileKey])
            while let url = found?.nextObject() as? URL {
                if (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                    files.append(url.path)
                }
            }
        }
        for file in files.sorted() {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("\(file): cannot be read\n".utf8))
                return 1
            }
            let bytes = [UInt8](data)
            _ = bytes.withUnsafeBufferPointer { entry($0.baseAddress, $0.count) }
        }
        print("replayed \(files.count) inputs")
        return 0
    }
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif
