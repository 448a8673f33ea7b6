import MurojaatCore
import Testing

@Suite struct StatusTests {
    @Test(arguments: [
        (Status.received, StatusAction.register, Status.registered),
        (.received, .sendToTriage, .triage),
        (.triage, .register, .registered),
        (.triage, .forward, .forwarded),
        (.registered, .assign, .assigned),
        (.assigned, .assign, .assigned),
        (.assigned, .startWork, .inProgress),
        (.inProgress, .answer, .answered),
        (.answered, .close, .closed),
        (.closed, .reopen, .inProgress),
        (.assigned, .leaveWithoutConsideration, .leftWithoutConsideration),
        (.registered, .answer, .answered),
    ])
    func allowedTransitions(from: Status, action: StatusAction, to: Status) throws {
        #expect(try from.applying(action) == to)
    }

    @Test(arguments: [
        (Status.received, StatusAction.answer),
        (.received, .close),
        (.triage, .answer),
        (.triage, .assign),
        (.registered, .close),
        (.assigned, .close),
        (.answered, .assign),
        (.closed, .answer),
        (.closed, .close),
        (.forwarded, .reopen),
        (.forwarded, .answer),
        (.leftWithoutConsideration, .assign),
        (.leftWithoutConsideration, .reopen),
        (.inProgress, .register),
    ])
    func refusedTransitions(from: Status, action: StatusAction) {
        #expect(throws: TransitionError(from: from, action: action)) { try from.applying(action) }
    }

    @Test func refusalSaysWhatIsAllowed() {
        let error = TransitionError(from: .answered, action: .assign)
        #expect(error.description == "cannot assign an appeal that is answered (allowed: close, reopen)")
        #expect(TransitionError(from: .forwarded, action: .answer).description.contains("no further action"))
    }

    @Test func openStatesKeepTheClockRunning() {
        #expect(Status.allCases.filter(\.isOpen) == [.received, .triage, .registered, .assigned, .inProgress])
    }
}
