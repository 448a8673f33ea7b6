import Foundation
public import MurojaatCore
public import Rules
public import Store

/// What an account must be, checked the same way by `murojaat user` and the staff page, with the refusal worded
/// for whoever reads it.
public enum AccountRules {
    /// A refused account or password, worded.
    public struct Refusal: WordedError, Equatable {
        public let wording: Wording

        init(uz: String, ru: String, en: String) { wording = Wording(uz: uz, ru: ru, en: en) }
    }

    public static let minimumPasswordLength = 8

    public static func checkLogin(_ login: String) throws(Refusal) {
        let allowed = login.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
        guard allowed, (2...64).contains(login.utf8.count) else {
            throw Refusal(
                uz: "Login 2–64 belgidan iborat: a-z, 0-9, nuqta, chiziqcha, pastki chiziq",
                ru: "Логин — от 2 до 64 символов: a-z, 0-9, точка, дефис, подчёркивание",
                en: "a login is 2-64 of a-z, 0-9, dot, dash, underscore")
        }
    }

    public static func checkPassword(_ password: String) throws(Refusal) {
        guard password.count >= minimumPasswordLength else {
            throw Refusal(
                uz: "Parol kamida \(minimumPasswordLength) belgidan iborat bo‘lishi kerak",
                ru: "Пароль должен содержать не менее \(minimumPasswordLength) символов",
                en: "a password has at least \(minimumPasswordLength) characters")
        }
    }

    public static func checkName(_ name: String) throws(Refusal) {
        guard !name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, name.count <= 200 else {
            throw Refusal(
                uz: "F.I.Sh. bo‘sh bo‘lmasligi va 200 belgidan oshmasligi kerak",
                ru: "ФИО не может быть пустым или длиннее 200 символов",
                en: "a name is not empty and at most 200 characters")
        }
    }

    public static func checkLanguage(_ language: String) throws(Refusal) {
        guard Language(rawValue: language) != nil else {
            throw Refusal(uz: "Til: uz, ru yoki en", ru: "Язык — uz, ru или en", en: "language is uz, ru or en")
        }
    }

    public static func role(_ code: String) throws(Refusal) -> StaffRole {
        guard let role = StaffRole(rawValue: code) else {
            let known = StaffRole.allCases.map(\.rawValue).joined(separator: ", ")
            throw Refusal(
                uz: "Noma’lum rol \"\(code)\" (bor: \(known))", ru: "Неизвестная роль \"\(code)\" (есть: \(known))",
                en: "unknown role \"\(code)\" (known: \(known))")
        }
        return role
    }

    /// Executors and heads belong to a department of the org chart; nobody else belongs to one. `org` may be nil
    /// only when no department is given.
    public static func post(role: StaffRole, department: String?, org: OrgChart?) throws(Refusal) -> StaffPost {
        let department = department.flatMap { $0.isEmpty ? nil : $0 }
        if role.needsDepartment {
            guard let department else {
                throw role == .head
                    ? Refusal(
                        uz: "Bo‘lim boshlig‘iga bo‘lim kerak", ru: "Начальнику отдела нужен отдел",
                        en: "a head needs a department")
                    : Refusal(
                        uz: "Ijrochiga bo‘lim kerak", ru: "Исполнителю нужен отдел",
                        en: "an executor needs a department")
            }
            guard org?.department(department) != nil else {
                throw Refusal(
                    uz: "org.yaml da \"\(department)\" bo‘limi yo‘q", ru: "В org.yaml нет отдела \"\(department)\"",
                    en: "no department \"\(department)\" in org.yaml")
            }
        } else if department != nil {
            throw Refusal(
                uz: "Bo‘lim faqat ijrochilar va bo‘lim boshliqlari uchun",
                ru: "Отдел указывается только для исполнителей и начальников отделов",
                en: "a department is for executors and heads only")
        }
        return StaffPost(role: role, department: department)
    }
}
