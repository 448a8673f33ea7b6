import Foundation

/// Where an appeal came from. Every channel produces the same ``Appeal`` (law, art. 4-5: all forms have equal force).
public enum Channel: String, Sendable, Hashable, Codable, CaseIterable {
    case email
    case call
    case virtualReception = "virtual-reception"
    case ijro
    case eXat = "e-xat"
    case webhook

    /// Parses the spelling used in files and on the command line (`virtual-reception`, `e-xat`, ...).
    public init?(name: String) {
        let folded = name.lowercased().replacingOccurrences(of: "_", with: "-")
        if let channel = Channel(rawValue: folded) {
            self = channel
        } else if folded == "exat" {
            self = .eXat
        } else if folded == "reception" || folded == "pm" {
            self = .virtualReception
        } else {
            return nil
        }
    }
}

/// The law's three kinds of appeal (art. 5).
public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Application: a request for help to exercise a right.
    case ariza
    /// Proposal to improve state or society.
    case taklif
    /// Complaint: a demand to restore a violated right.
    case shikoyat
}

/// What the call-centre operator recorded as the result of a call, or the equivalent for other channels.
public enum Intake: String, Sendable, Hashable, Codable {
    /// An appeal to be routed and answered in writing (the default).
    case appeal
    /// Answered during the call: registered and closed at once with the oral answer recorded (art. 9, 23, 27).
    case consultation
    /// The caller is to be called back: routed, with the `callback` deadline.
    case callback
    /// A call to the trust line nobody answered (from the PBX's records): a task for the call centre to call back,
    /// with the `callback` deadline. Its text is written by the software, so the rules do not route it.
    case missedCall = "missed_call"
}
