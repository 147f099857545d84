import Foundation
import Testing
@testable import SatchelCore

struct FieldDateTests {
    static func at(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int = 0,
                   zone: TimeZone = .london) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s)) ?? .distantPast
    }

    @Test(arguments: [
        ("now", at(2026, 11, 23, 14, 0)),
        ("NOW", at(2026, 11, 23, 14, 0)),
        ("today 09:15", at(2026, 11, 23, 9, 15)),
        ("today 9:15", at(2026, 11, 23, 9, 15)),
        ("yesterday 09:00", at(2026, 11, 22, 9, 0)),
        ("23/11/2026 10:00", at(2026, 11, 23, 10, 0)),
        ("1/6/2026 10:00", at(2026, 6, 1, 10, 0)),
        ("2026-11-23T10:00", at(2026, 11, 23, 10, 0)),
        ("2026-11-23 10:00", at(2026, 11, 23, 10, 0)),
        ("2026-11-23T10:00:30", at(2026, 11, 23, 10, 0, 30)),
        ("2026-11-23T10:00Z", at(2026, 11, 23, 10, 0)),
        ("2026-06-01T10:00", at(2026, 6, 1, 9, 0, zone: TimeZone(secondsFromGMT: 0) ?? .london)),
        ("2026-06-01T10:00+01:00", at(2026, 6, 1, 9, 0, zone: TimeZone(secondsFromGMT: 0) ?? .london)),
        ("2026-06-01T10:00:00+0100", at(2026, 6, 1, 9, 0, zone: TimeZone(secondsFromGMT: 0) ?? .london)),
        ("2026-11-23T10:00-05:00", at(2026, 11, 23, 15, 0)),
    ])
    func acceptedForms(input: String, expected: Date) throws {
        let date = try FieldDate.parse(input, field: "at", now: testNow)
        #expect(date == expected)
    }

    static let forms = "Use one of: now, today 14:30, yesterday 09:00, 23/11/2026 14:30 or 2026-11-23T14:30."

    @Test(arguments: [
        ("next tuesday", "--at: \"next tuesday\" is not a date and time. \(forms)"),
        ("23-11-2026 10:00", "--at: \"23-11-2026 10:00\" is not a date and time. \(forms)"),
        ("2026-11-23T10", "--at: \"2026-11-23T10\" is not a date and time. \(forms)"),
        ("today", "--at: \"today\" is not a date and time. \(forms)"),
        ("23/11/2026", "--at: 23/11/2026 has no time. Add the time, e.g. 23/11/2026 14:30."),
        ("2026-11-23", "--at: 23/11/2026 has no time. Add the time, e.g. 23/11/2026 14:30."),
        ("31/02/2026 10:00", "--at: \"31/02/2026 10:00\" is not a real date and time."),
        ("23/11/2026 24:00", "--at: \"23/11/2026 24:00\" is not a real date and time."),
        ("29/03/2026 01:30", "--at: \"29/03/2026 01:30\" is not a real date and time."),
        ("a very long piece of text that should be cut", "--at: \"a very long piece of tex…\" is not a date and time. \(forms)"),
    ])
    func rejectedForms(input: String, message: String) {
        let error = fieldError { _ = try FieldDate.parse(input, field: "at", now: testNow) }
        #expect(error == FieldError(field: "at", message: message))
    }

    @Test(arguments: [
        ("24/11/2026 10:00", "--at: 24/11/2026 10:00 is in the future. A contact can only be recorded at or before now."),
        ("today 14:02", "--at: 23/11/2026 14:02 is in the future. A contact can only be recorded at or before now."),
        ("2026-11-24T10:00Z", "--at: 24/11/2026 10:00 is in the future. A contact can only be recorded at or before now."),
    ])
    func futureContactTime(input: String, message: String) {
        let error = fieldError { _ = try FieldDate.contactTime(input, now: testNow) }
        #expect(error == FieldError(field: "at", message: message))
    }

    @Test func sixtySecondsOfClockSkewIsAllowed() throws {
        #expect(try FieldDate.contactTime("today 14:01", now: testNow) == Self.at(2026, 11, 23, 14, 1))
    }
}

struct FieldDayTests {
    @Test(arguments: [
        ("today", day(2026, 11, 23)), ("yesterday", day(2026, 11, 22)), ("tomorrow", day(2026, 11, 24)),
        ("2026-11-23", day(2026, 11, 23)), ("23/11/2026", day(2026, 11, 23)), ("1/2/2000", day(2000, 2, 1)),
        ("29/02/2024", day(2024, 2, 29)),
    ])
    func accepted(input: String, expected: FieldDay) throws {
        #expect(try FieldDay.parse(input, field: "dob", now: testNow) == expected)
    }

    @Test(arguments: [
        ("tuesday", "--dob: \"tuesday\" is not a date. Use one of: today, yesterday, tomorrow, 23/11/2026 or 2026-11-23."),
        ("23/11/26", "--dob: \"23/11/26\" is not a date. Use one of: today, yesterday, tomorrow, 23/11/2026 or 2026-11-23."),
        ("29/02/2026", "--dob: \"29/02/2026\" is not a real date."),
        ("24/11/2026", "--dob: 24/11/2026 is in the future. A date of birth must be today or earlier."),
        ("22/11/1906", "--dob: 22/11/1906 is more than 120 years ago. A date of birth must be within the last 120 years."),
    ])
    func badDateOfBirth(input: String, message: String) {
        let error = fieldError { _ = try FieldDay.dateOfBirth(input, now: testNow) }
        #expect(error == FieldError(field: "dob", message: message))
    }

    @Test func dateOfBirthLimits() throws {
        #expect(try FieldDay.dateOfBirth("23/11/1906", now: testNow) == day(1906, 11, 23))
        #expect(try FieldDay.dateOfBirth("today", now: testNow) == day(2026, 11, 23))
    }

    @Test func reviewDate() throws {
        #expect(try FieldDay.reviewDate("today", now: testNow) == day(2026, 11, 23))
        #expect(try FieldDay.reviewDate("2027-01-05", now: testNow) == day(2027, 1, 5))
        let error = fieldError { _ = try FieldDay.reviewDate("yesterday", now: testNow) }
        #expect(error?.message == "--review-date: 22/11/2026 is in the past. A review date must be today or later.")
    }

    @Test func todayFollowsLondonNotUTC() {
        // 23:30Z on 30 June is 00:30 on 1 July in London (BST).
        let lateJune = Date(timeIntervalSince1970: 1_782_862_200)
        #expect(FieldDay.on(lateJune) == day(2026, 7, 1))
    }

    @Test func jsonIsISODay() throws {
        let data = try JSONEncoder().encode([day(2026, 1, 5)])
        #expect(String(decoding: data, as: UTF8.self) == "[\"2026-01-05\"]")
        #expect(try JSONDecoder().decode([FieldDay].self, from: data) == [day(2026, 1, 5)])
    }
}
