// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the date and time parsers behind --at, --dob, --review-date and
// --interview-date (SatchelCore FieldDate, FieldDay). See fuzz/README.md.
import Foundation
import SatchelCore
import FuzzSupport

/// Fixed clocks, so a run is reproducible: an ordinary afternoon, the night after the
/// clocks went forward and the night after they went back (Europe/London, 2026).
let nows = [
    Date(timeIntervalSince1970: 1_795_444_200),  // 2026-11-23 14:30 GMT
    Date(timeIntervalSince1970: 1_774_827_000),  // 2026-03-30 00:30 BST
    Date(timeIntervalSince1970: 1_792_974_600),  // 2026-10-26 00:30 GMT
]
let london = Calendar.london

func broken(_ what: String, _ text: String) -> Never {
    fatalError("invariant broken: \(what) for input \(String(reflecting: text))")
}

func checkDay(_ text: String, now: Date) {
    let today = FieldDay.on(now, calendar: london)
    guard let day = try? FieldDay.parse(text, field: "date", now: now, calendar: london) else {
        // The stricter parsers only add checks to FieldDay.parse.
        if (try? FieldDay.dateOfBirth(text, now: now, calendar: london)) != nil
            || (try? FieldDay.reviewDate(text, now: now, calendar: london)) != nil {
            broken("a day parser accepted what FieldDay.parse refused", text)
        }
        return
    }
    // What Satchel shows and stores must read back as the same day.
    guard (try? FieldDay.parse(day.description, field: "date", now: now, calendar: london)) == day else {
        broken("FieldDay \(day.description) does not parse back", text)
    }
    guard (try? FieldDay.parse(day.iso, field: "date", now: now, calendar: london)) == day else {
        broken("FieldDay.iso \(day.iso) does not parse back", text)
    }
    let json = (try? JSONEncoder().encode([day])) ?? Data()
    guard (try? JSONDecoder().decode([FieldDay].self, from: json)) == [day] else {
        broken("FieldDay JSON \(String(decoding: json, as: UTF8.self)) does not decode back", text)
    }
    if let dob = try? FieldDay.dateOfBirth(text, now: now, calendar: london), dob != day || dob > today {
        broken("dateOfBirth accepted a day after today", text)
    }
    if let review = try? FieldDay.reviewDate(text, now: now, calendar: london), review != day || review < today {
        broken("reviewDate accepted a day before today", text)
    }
}

func checkMoment(_ text: String, now: Date) {
    let parsed = try? FieldDate.parse(text, field: "at", now: now, calendar: london)
    let contact = try? FieldDate.contactTime(text, now: now, calendar: london)
    if let contact {
        guard contact == parsed else { broken("contactTime and parse disagree", text) }
        guard contact.timeIntervalSince(now) <= FieldDate.futureTolerance else {
            broken("contactTime accepted a time in the future", text)
        }
    } else if let parsed, parsed.timeIntervalSince(now) <= FieldDate.futureTolerance {
        broken("contactTime refused a parsable time that is not in the future", text)
    }
    guard let date = parsed else { return }
    // The shown day is the date's own day in the calendar (never a stand-in).
    let parts = london.dateComponents([.era, .year, .month, .day], from: date)
    let day = FieldDay.on(date, calendar: london)
    guard parts.era == 1, parts.year == day.year, parts.month == day.month, parts.day == day.day else {
        broken("\(date) has no FieldDay in London (shown as \(FieldDate.display(date, calendar: london)))", text)
    }
    // What Satchel shows reads back as the same wall-clock minute, on the same day.
    let shown = FieldDate.display(date, calendar: london)
    guard let again = try? FieldDate.parse(shown, field: "at", now: now, calendar: london) else {
        broken("the display \(String(reflecting: shown)) does not parse back", text)
    }
    guard FieldDate.display(again, calendar: london) == shown, FieldDay.on(again, calendar: london) == day else {
        broken("the display \(String(reflecting: shown)) parses back as another time", text)
    }
}

/// Each line of the input is one typed value (a line is also tried whole, untrimmed).
func check(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.count > 1 { lines.append(text) }
    for line in lines.prefix(16) {
        for now in nows {
            checkDay(line, now: now)
            checkMoment(line, now: now)
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    check(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

#if FUZZING
@_cdecl("FuzzDateParser_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzSupport.runDriver(argc, argv, fuzzOne)
}
#else
/// Corpus replayer for a normal build: `FuzzDateParser FILE|DIR...` (FuzzSupport.replay).
@main
struct Replayer {
    static func main() {
        exit(FuzzSupport.replay(Array(CommandLine.arguments.dropFirst()), entry: fuzzOne))
    }
}
#endif
