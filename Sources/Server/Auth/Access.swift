public import MurojaatCore
public import Store

/// Who may see and do what: the one place the web UI and the API ask. Executors and heads act only within their
/// own department; control and admin see everything; operators see everything and decide the triage queue.
public enum Access {
    public enum Action: String, Sendable, CaseIterable {
        case view
        case assign
        case start
        case answer
        case close
        case needsStudy = "needs-study"
        case extend
        case forward
        case leave
        case reopen
        /// Marks an appeal as anonymous for a head to decide on leaving it without consideration.
        case anonymous
        /// Joins a duplicate to the appeal it copies (closing the copy).
        case join
        /// Links two appeals of the same matter.
        case link
    }

    public static func may(_ user: UserAccount, _ action: Action, _ appeal: Appeal) -> Bool {
        let own = user.department != nil && appeal.department == user.department
        let involved = own || (user.department.map { appeal.coExecutors.contains($0) } ?? false)
        switch (user.role, action) {
        case (.control, .view), (.admin, .view), (.operator, .view): return true
        case (.executor, .view), (.head, .view): return involved
        // Operators decide what the rules were unsure of; a head may hand an appeal of the department on; the
        // control department may move any appeal.
        case (.operator, .assign), (.operator, .forward), (.operator, .anonymous), (.operator, .join),
            (.operator, .link):
            return appeal.status == .triage
        case (.head, .join), (.head, .link): return own
        case (.control, .join), (.admin, .join), (.control, .link), (.admin, .link): return true
        case (.head, .assign): return own
        case (.control, .assign), (.admin, .assign): return true
        case (.executor, .start), (.head, .start), (.executor, .answer), (.head, .answer), (.executor, .close),
            (.head, .close), (.executor, .needsStudy), (.head, .needsStudy), (.executor, .forward),
            (.head, .forward):
            return own
        // The law wants a head's decision for these (DOMAIN.md: extension, leaving without consideration).
        case (.head, .extend), (.head, .leave), (.head, .reopen): return own
        case (.executor, .anonymous), (.head, .anonymous): return own
        case (.control, .anonymous), (.admin, .anonymous), (.control, .forward), (.admin, .forward): return true
        case (.control, .reopen): return true
        default: return false
        }
    }

    /// The department whose queue this person sees by default.
    public static func homeDepartment(_ user: UserAccount) -> String? {
        user.role.needsDepartment ? user.department : nil
    }

    /// May this person look at another department's queue (or all of them)?
    public static func mayBrowseDepartments(_ user: UserAccount) -> Bool {
        !user.role.needsDepartment
    }

    public static func mayTriage(_ user: UserAccount) -> Bool {
        [.operator, .control, .admin].contains(user.role)
    }

    /// The quarantine: what the adapters could not read, with its raw bytes (whole messages, call-card rows with
    /// phone numbers), and retrying it. The people who sort what comes in, as for triage.
    public static func mayQuarantine(_ user: UserAccount) -> Bool {
        mayTriage(user)
    }

    /// The control dashboard and the daily report for any date.
    public static func mayControl(_ user: UserAccount) -> Bool {
        [.control, .admin].contains(user.role)
    }

    /// The staff page: adding accounts, their roles and departments, new passwords, disabling. Everyone may change
    /// their own password.
    public static func mayManageStaff(_ user: UserAccount) -> Bool {
        user.role == .admin
    }
}
