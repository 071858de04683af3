import Analytics
import Testing

@Suite struct ByteStringTests {
    @Test func statusParsesOnlyTheThreeNames() {
        func status(_ text: String) -> GenerationStatus? {
            Array(text.utf8).withUnsafeBufferPointer { GenerationStatus(ByteString($0)) }
        }
        #expect(status("success") == .success)
        #expect(status("failed") == .failed)
        #expect(status("cancelled") == .cancelled)
        #expect(status("Success") == nil)
        #expect(status("fail") == nil)
        #expect(status("") == nil)
    }
}
