public import Foundation
import HummingbirdBcrypt
import Store

/// Passwords, session tokens and API tokens: what is stored is a hash, what the user holds is random.
public enum Secrets {
    /// bcrypt with cost 12: about a quarter of a second per check, which is the point.
    public static func hashPassword(_ password: String, cost: UInt8 = 12) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    public static func verify(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }

    /// 32 random bytes as URL-safe text: a session cookie, a CSRF token or an API token.
    public static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// What the database keeps of a token: its SHA-256, hex, as the store writes every content address.
    public static func digest(_ token: String) -> String {
        EventChain.digest(Array(token.utf8))
    }

    /// Compares without stopping at the first difference, so the time taken tells nothing about the token.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
