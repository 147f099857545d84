import Foundation
import Testing
@testable import SatchelCore

struct NHSNumberTests {
    @Test(arguments: ["943 476 5919", "9434765919", " 943 4765919 "])
    func validNumbers(input: String) throws {
        let number = try NHSNumber(parsing: input)
        #expect(number.digits == "9434765919")
        #expect(number.formatted == "943 476 5919")
    }

    @Test(arguments: [
        ("943 476 5918", "--nhs-number: 943 476 5918 is not a valid NHS number (the check digit does not match). An NHS number is 10 digits; spaces are allowed."),
        ("12345", "--nhs-number: 12345 is not a valid NHS number (it has 5 digits, not 10). An NHS number is 10 digits; spaces are allowed."),
        ("943 476 59190", "--nhs-number: 94347659190 is not a valid NHS number (it has 11 digits, not 10). An NHS number is 10 digits; spaces are allowed."),
        ("943-476-5919", "--nhs-number: that is not a valid NHS number (it contains characters other than digits and spaces). An NHS number is 10 digits; spaces are allowed."),
        ("", "--nhs-number: no NHS number was given. An NHS number is 10 digits; spaces are allowed."),
    ])
    func invalidNumbers(input: String, message: String) {
        let error = fieldError { _ = try NHSNumber(parsing: input) }
        #expect(error?.field == "nhs-number")
        #expect(error?.message == message)
    }

    @Test func remainderOfTenIsNeverValid() {
        // 000000010: sum = 1*2 = 2 → 11 - 2 = 9; find a prefix whose check would be 10:
        // 100000001 → 10 + 2 = 12, 12 % 11 = 1, 11 - 1 = 10.
        #expect(NHSNumber.checkDigit(forFirstNine: [1, 0, 0, 0, 0, 0, 0, 0, 1][...]) == nil)
        #expect(fieldError { _ = try NHSNumber(parsing: "1000000010") }?.message.contains("check digit") == true)
    }

    @Test func jsonIsTheTenDigits() throws {
        let number = try NHSNumber(parsing: "943 476 5919")
        let data = try JSONEncoder().encode([number])
        #expect(String(decoding: data, as: UTF8.self) == "[\"9434765919\"]")
        #expect(try JSONDecoder().decode([NHSNumber].self, from: data) == [number])
    }
}
