@testable import SatchelREPL
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct CompletionMatchesTests {
    @Test func filtersByPrefixWithoutDuplicates() {
        let words = ["contact", "consent", "close", "contact", "phone"]
        #expect(CompletionMatches.filter(words, word: "con") == ["contact", "consent"])
        #expect(CompletionMatches.filter(words, word: "") == ["contact", "consent", "close", "phone"])
    }

    @Test func longestCommonPrefix() {
        #expect(CompletionMatches.longestCommonPrefix(["contact", "consent"]) == "con")
        #expect(CompletionMatches.longestCommonPrefix(["café", "cafés"]) == "café")
        #expect(CompletionMatches.longestCommonPrefix(["a", "b"]) == "")
    }

    @Test func entriesFollowReadlineConvention() {
        #expect(CompletionMatches.entries(for: []) == [])
        #expect(CompletionMatches.entries(for: ["phone"]) == ["phone"])
        #expect(CompletionMatches.entries(for: ["contact", "consent"]) == ["con", "contact", "consent"])
    }

    @Test func cArrayIsNullTerminated() throws {
        let array = try #require(CompletionMatches.makeCArray(["contact", "consent"]))
        #expect(array[0].map { String(cString: $0) } == "con")
        #expect(array[2].map { String(cString: $0) } == "consent")
        #expect(array[3] == nil)
        CompletionMatches.freeCArray(array, count: 3)
        #expect(CompletionMatches.makeCArray([]) == nil)
    }
}
