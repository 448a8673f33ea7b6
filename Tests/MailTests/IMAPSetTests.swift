import Testing

@testable import Mail

@Suite struct IMAPSetTests {
    @Test func consecutiveUIDsBecomeRanges() {
        #expect(IMAPMailbox.set([7, 1, 2, 3, 9, 10, 3]) == "1:3,7,9:10")
        #expect(IMAPMailbox.set([42]) == "42")
    }

    @Test func theMailboxComesFromTheURLPath() {
        #expect(IMAPAccount(url: "imaps://mail.migration.uz/INBOX", user: "u", password: "p").mailbox == "INBOX")
        #expect(IMAPAccount(url: "imap://127.0.0.1:1143", user: "u", password: "p").mailbox == "INBOX")
        let spaced = IMAPAccount(url: "imap://h/Murojaatlar%202025", user: "u", password: "p")
        #expect(spaced.mailbox == "Murojaatlar 2025")
        #expect(spaced.mailboxURL == "imap://h/Murojaatlar%202025")
    }

    @Test func aURLThatIsNotIMAPIsRefused() {
        #expect(throws: MailError.self) {
            try IMAPMailbox(IMAPAccount(url: "https://x/INBOX", user: "u", password: "p"))
        }
    }

    @Test func anUnreachableServerIsATransientError() {
        // Port 9 (discard) on loopback has nothing listening here.
        let mailbox = try! IMAPMailbox(
            IMAPAccount(url: "imap://127.0.0.1:9/INBOX", user: "u", password: "p", connectTimeout: .seconds(2)))
        do {
            _ = try mailbox.status()
            Issue.record("expected a failure")
        } catch {
            #expect(error.code == .unreachable)
            #expect(error.isTransient)
        }
    }
}
