import ArgumentParser
import Foundation
import MurojaatCore
import Rules
import Server
import Store

/// `murojaat user add|passwd|disable|enable|list|token`: the accounts of the web UI and the API.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage the accounts that sign in to the web UI and the API.",
        subcommands: [Add.self, Passwd.self, Disable.self, Enable.self, List.self, Token.self])

    /// The password: from MUROJAAT_PASSWORD (scripts, the demo), else typed at a terminal without echo, else the
    /// first line of standard input.
    static func password(prompt: String) throws -> String {
        let password: String
        if let given = ProcessInfo.processInfo.environment["MUROJAAT_PASSWORD"] {
            password = given
        } else if isatty(STDIN_FILENO) != 0, let typed = getpass(prompt) {
            password = String(cString: typed)
        } else {
            password = readLine(strippingNewline: true) ?? ""
        }
        guard password.count >= 8 else {
            throw CLIError(
                uz: "Parol kamida 8 belgidan iborat bo‘lishi kerak", ru: "Пароль должен содержать не менее 8 символов",
                en: "a password has at least 8 characters")
        }
        return password
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an account; the password comes from MUROJAAT_PASSWORD, the terminal or stdin.")
        @OptionGroup var locations: Locations
        @Argument(help: "The login.") var login: String
        @Option(help: "The person's full name.") var name: String
        @Option(help: "operator, executor, head, control or admin.") var role: String
        @Option(help: "The department code (executors and heads).") var department: String?
        @Option(help: "uz, ru or en.") var language = "uz"

        func run() async throws {
            guard let role = StaffRole(rawValue: role) else {
                let known = StaffRole.allCases.map(\.rawValue).joined(separator: ", ")
                throw CLIError(
                    uz: "Noma’lum rol \"\(role)\" (bor: \(known))", ru: "Неизвестная роль \"\(role)\" (есть: \(known))",
                    en: "unknown role \"\(role)\" (known: \(known))")
            }
            guard login.range(of: #"^[a-z0-9._-]{2,64}$"#, options: .regularExpression) != nil else {
                throw CLIError(
                    uz: "Login 2–64 belgidan iborat: a-z, 0-9, nuqta, chiziqcha, pastki chiziq",
                    ru: "Логин — от 2 до 64 символов: a-z, 0-9, точка, дефис, подчёркивание",
                    en: "a login is 2-64 of a-z, 0-9, dot, dash, underscore")
            }
            guard ["uz", "ru", "en"].contains(language) else {
                throw CLIError(uz: "Til: uz, ru yoki en", ru: "Язык — uz, ru или en", en: "language is uz, ru or en")
            }
            if role.needsDepartment {
                guard let department else {
                    throw CLIError(
                        uz: "\(role.rawValue) uchun --department kerak",
                        ru: "Для роли \(role.rawValue) нужен --department",
                        en: "an \(role.rawValue) needs --department")
                }
                let book = try locations.loadRules()
                guard book.org.department(department) != nil else {
                    throw CLIError(
                        uz: "org.yaml da \"\(department)\" bo‘limi yo‘q", ru: "В org.yaml нет отдела \"\(department)\"",
                        en: "no department \"\(department)\" in org.yaml")
                }
            } else if department != nil {
                throw CLIError(
                    uz: "--department faqat ijrochilar va bo‘lim boshliqlari uchun",
                    ru: "--department — только для исполнителей и начальников отделов",
                    en: "--department is for executors and heads only")
            }
            let hash = Secrets.hashPassword(
                try UserCommand.password(prompt: Say.text(uz: "Parol: ", ru: "Пароль: ", en: "Password: ")))
            let store = try await locations.openStore()
            let now = try CommandClock.now()
            let user = try await storeCall { () async throws(StoreError) in
                try await store.addUser(
                    NewUser(
                        login: login, name: name, role: role, department: department, language: language,
                        passwordHash: hash), at: now)
            }
            let what = "\(user.role.rawValue)\(user.department.map { ", \($0)" } ?? "")"
            Say.line(
                uz: "\(user.login) qo‘shildi (\(what))", ru: "Добавлен \(user.login) (\(what))",
                en: "added \(user.login) (\(what))")
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a new password; the account's sessions end.")
        @OptionGroup var locations: Locations
        @Argument(help: "The login.") var login: String

        func run() async throws {
            let hash = Secrets.hashPassword(
                try UserCommand.password(
                    prompt: Say.text(uz: "Yangi parol: ", ru: "Новый пароль: ", en: "New password: ")))
            let store = try await locations.openStore()
            _ = try await storeCall { () async throws(StoreError) in
                try await store.updateUser(login: login, UserUpdate(passwordHash: hash))
            }
            Say.line(
                uz: "\(login) paroli o‘zgartirildi; uning seanslari tugatildi",
                ru: "Пароль \(login) изменён; его сеансы завершены",
                en: "password of \(login) changed; its sessions ended")
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop an account from signing in; it is kept.")
        @OptionGroup var locations: Locations
        @Argument(help: "The login.") var login: String

        func run() async throws {
            let store = try await locations.openStore()
            _ = try await storeCall { () async throws(StoreError) in
                try await store.updateUser(login: login, UserUpdate(disabled: true))
            }
            Say.line(
                uz: "\(login) bloklandi; uning seanslari tugatildi", ru: "\(login) отключён; его сеансы завершены",
                en: "\(login) disabled; its sessions ended")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a disabled account sign in again.")
        @OptionGroup var locations: Locations
        @Argument(help: "The login.") var login: String

        func run() async throws {
            let store = try await locations.openStore()
            _ = try await storeCall { () async throws(StoreError) in
                try await store.updateUser(login: login, UserUpdate(disabled: false))
            }
            Say.line(uz: "\(login) qayta faollashtirildi", ru: "\(login) снова включён", en: "\(login) enabled")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accounts.")
        @OptionGroup var locations: Locations

        func run() async throws {
            let store = try await locations.openStore()
            let users = try await storeCall { () async throws(StoreError) in try await store.users() }
            for user in users {
                print(
                    [
                        user.login, user.role.rawValue, user.department ?? "-", user.language,
                        user.disabled
                            ? Say.text(uz: "bloklangan", ru: "отключён", en: "disabled")
                            : Say.text(uz: "faol", ru: "активен", en: "active"),
                        user.name,
                    ].joined(separator: "\t"))
            }
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue an API token for an account (printed once; only its hash is kept), or revoke one.")
        @OptionGroup var locations: Locations
        @Argument(help: "The login the token acts as.") var login: String?
        @Option(help: "What the token is for, e.g. call-centre.") var name: String?
        @Option(help: "Revoke the token with this number instead.") var revoke: Int64?

        func run() async throws {
            let store = try await locations.openStore()
            if let revoke {
                try await storeCall { () async throws(StoreError) in try await store.revokeToken(id: revoke) }
                Say.line(
                    uz: "#\(revoke) token bekor qilindi", ru: "Токен #\(revoke) отозван",
                    en: "token #\(revoke) revoked")
                return
            }
            guard let login, let name else {
                throw CLIError(
                    uz: "Login va --name ni yoki --revoke N ni bering", ru: "Укажите логин и --name или --revoke N",
                    en: "give a login and --name, or --revoke N")
            }
            let now = try CommandClock.now()
            guard let user = try await storeCall({ () async throws(StoreError) in try await store.user(login: login) })
            else {
                throw CLIError(
                    uz: "\"\(login)\" foydalanuvchisi yo‘q", ru: "Нет пользователя \"\(login)\"",
                    en: "no user \"\(login)\"")
            }
            let secret = Secrets.token()
            let token = try await storeCall { () async throws(StoreError) in
                try await store.addToken(name: name, tokenHash: Secrets.digest(secret), userID: user.id, at: now)
            }
            Say.line(
                uz: "\(login) uchun #\(token.id) token (\(name)); uni saqlab qo‘ying, u qayta ko‘rsatilmaydi:",
                ru: "Токен #\(token.id) для \(login) (\(name)); сохраните его, он больше не будет показан:",
                en: "token #\(token.id) for \(login) (\(name)); keep it, it is not shown again:")
            print(secret)
        }
    }
}
