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
        subcommands: [Add.self, Set.self, Passwd.self, Disable.self, Enable.self, List.self, Token.self])

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
        do throws(AccountRules.Refusal) {
            try AccountRules.checkPassword(password)
        } catch {
            throw CLIError(error.wording)
        }
        return password
    }

    /// The role and department checked by ``AccountRules``, after `checks` of the other fields; the rule book is
    /// read only when there is a department to look up in its org chart.
    static func post(
        role code: String, department: String?, locations: Locations,
        checks: () throws(AccountRules.Refusal) -> Void = {}
    ) throws -> StaffPost {
        let role: StaffRole
        do throws(AccountRules.Refusal) {
            try checks()
            role = try AccountRules.role(code)
        } catch {
            throw CLIError(error.wording)
        }
        let org = role.needsDepartment && department != nil ? try locations.loadRules().org : nil
        do throws(AccountRules.Refusal) {
            return try AccountRules.post(role: role, department: department, org: org)
        } catch {
            throw CLIError(error.wording)
        }
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
            let post = try UserCommand.post(role: role, department: department, locations: locations) {
                () throws(AccountRules.Refusal) in
                try AccountRules.checkLogin(login)
                try AccountRules.checkName(name)
                try AccountRules.checkLanguage(language)
            }
            let hash = Secrets.hashPassword(
                try UserCommand.password(prompt: Say.text(uz: "Parol: ", ru: "Пароль: ", en: "Password: ")))
            let store = try await locations.openStore()
            let now = try CommandClock.now()
            let user = try await storeCall { () async throws(StoreError) in
                try await store.addUser(
                    NewUser(
                        login: login, name: name, role: post.role, department: post.department, language: language,
                        passwordHash: hash), at: now)
            }
            let what = "\(user.role.rawValue)\(user.department.map { ", \($0)" } ?? "")"
            Say.line(
                uz: "\(user.login) qo‘shildi (\(what))", ru: "Добавлен \(user.login) (\(what))",
                en: "added \(user.login) (\(what))")
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change an account's name, language, or role with its department.")
        @OptionGroup var locations: Locations
        @Argument(help: "The login.") var login: String
        @Option(help: "The person's full name.") var name: String?
        @Option(help: "operator, executor, head, control or admin; give --department with executor and head.")
        var role: String?
        @Option(help: "The department code (with --role executor or head).") var department: String?
        @Option(help: "uz, ru or en.") var language: String?

        func run() async throws {
            guard role != nil || department == nil else {
                throw CLIError(
                    uz: "--department faqat --role bilan", ru: "--department — только вместе с --role",
                    en: "--department goes with --role")
            }
            guard name != nil || role != nil || language != nil else {
                throw CLIError(
                    uz: "--name, --role yoki --language ni bering", ru: "Укажите --name, --role или --language",
                    en: "give --name, --role or --language")
            }
            let checks = { () throws(AccountRules.Refusal) in
                if let name { try AccountRules.checkName(name) }
                if let language { try AccountRules.checkLanguage(language) }
            }
            var post: StaffPost?
            if let role {
                post = try UserCommand.post(role: role, department: department, locations: locations, checks: checks)
            } else {
                do throws(AccountRules.Refusal) { try checks() } catch { throw CLIError(error.wording) }
            }
            let store = try await locations.openStore()
            let change = UserUpdate(language: language, name: name, post: post)
            // No last-administrator check here, as for disable: the shell is where a locked-out web is mended.
            let user = try await storeCall { () async throws(StoreError) in
                try await store.updateUser(login: login, change)
            }
            let what = "\(user.role.rawValue)\(user.department.map { ", \($0)" } ?? ""), \(user.language)"
            Say.line(
                uz: "\(user.login) o‘zgartirildi (\(what))", ru: "\(user.login) изменён (\(what))",
                en: "\(user.login) changed (\(what))")
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
