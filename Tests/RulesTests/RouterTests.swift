import Foundation
import MurojaatCore
import Rules
import Testing

/// The engine on small rule sets written here, so each test shows the behaviour it relies on.
@Suite struct RouterTests {
    static let org = """
        director: {id: director, name: "Direktor"}
        deputies:
          - {id: kuranov, name: "M. Kuranov"}
        departments:
          - {code: ABROAD, name: "Xorijdagi fuqarolarga yordam", supervisor: kuranov}
          - {code: DISPUTES, name: "Nizolar", supervisor: kuranov}
          - {code: PLACEMENT, name: "Xorijga ishga yuborish", supervisor: kuranov}
          - {code: CONTROL, name: "Nazorat", supervisor: kuranov}
        branches: []
        """

    static func book(_ routing: String, settings: String? = nil) throws -> RuleBook {
        let rules = RulesFolder.url
        let deadlines = try String(contentsOf: rules.appendingPathComponent("deadlines.yaml"), encoding: .utf8)
        let calendar = try String(contentsOf: rules.appendingPathComponent("calendar/2025.yaml"), encoding: .utf8)
        return try RuleBook.compile(
            org: ("Rules/org.yaml", org), deadlines: ("Rules/deadlines.yaml", deadlines),
            calendars: [("Rules/calendar/2025.yaml", calendar)],
            settings: settings.map { ("Rules/routing.yaml", $0) }, routing: [("Rules/routing/test.yaml", routing)])
    }

    static let wages = """
        rules:
          - id: abroad.wages
            weight: 3
            when:
              any: ["ish haqi*", "maosh*", "зарплат*"]
            then: {department: ABROAD, co_executors: [DISPUTES], tags: [wages]}
          - id: placement.visa
            weight: 2
            when:
              any: ["viza*", "виз*"]
            then: {department: PLACEMENT}
          - id: urgent.detention
            when:
              any: ["qamoq*", "задерж*"]
            then: {urgent: true, tags: [detention]}
          - id: kind.complaint
            when:
              any: [shikoyat*, жалоб*]
            then: {kind: shikoyat}
          - id: competence.pension
            weight: 3
            when:
              any: ["pensiya*", "пенси*"]
              not: ["xorij*"]
            then:
              out_of_competence: {forward_to: "Ijtimoiy himoya milliy agentligi"}
        """

    @Test(arguments: [
        "Rossiyada ish haqimni bermayapti",
        "Россияда иш ҳақимни беришмаяпти",
        "ROSSIYADA ISH HAQIMNI BERMAYAPTI",
        "Rossiyada ish hagimni bermayapti",  // q typed as g
        "В России не платят зарплату",
    ])
    func oneLatinKeywordMatchesEveryScript(text: String) throws {
        var router = Router(book: try Self.book(Self.wages))
        let decision = router.route(RoutingInput(text: text))
        #expect(decision.department == "ABROAD")
        #expect(decision.coExecutors == ["DISPUTES"])
        #expect(!decision.triage)
        #expect(decision.tags == ["wages"])
    }

    @Test func keywordsMatchWholeWordsOnly() throws {
        var router = Router(book: try Self.book(Self.wages))
        // "vizit" shares "viz" with "viza*" but is another word; "ishhaqi" is not the phrase "ish haqi".
        #expect(router.route(RoutingInput(text: "Vizit kartochkasi bo'yicha savol")).triage)
        #expect(router.route(RoutingInput(text: "Menga viza kerak")).department == "PLACEMENT")
        #expect(router.route(RoutingInput(text: "Mening sheriklarim ishhaqi haqida")).triage)
    }

    @Test func explanationNamesRulesWordsAndOffsets() throws {
        var router = Router(book: try Self.book(Self.wages))
        let text = "Salom! Koreyada maoshimni bermayapti"
        let decision = router.route(RoutingInput(text: text))
        let rule = try #require(decision.rules.first { $0.id == "abroad.wages" })
        let word = try #require(rule.words.first)
        #expect(word.keyword == "maosh*")
        #expect(word.text == "maoshimni")
        #expect(word.offset == 16)
        #expect(word.length == 9)
        let scalars = Array(text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[word.offset..<(word.offset + word.length)])) == "maoshimni")
    }

    /// A long text is read in two halves at once; a word in both halves is shown where it first stands.
    @Test func aWordInBothHalvesOfALongTextIsShownWhereItFirstStands() throws {
        var router = Router(book: try Self.book(Self.wages))
        // The two places are near the middle, so the second half's reader, which starts there, finds its one
        // first.
        let filler = String(repeating: "Iltimos yordam bering oilam qiyin ahvolda qoldi. ", count: 4)
        let text = filler + "Maoshimni bermayapti, maoshini ham. " + filler
        let decision = router.route(RoutingInput(text: text))
        let word = try #require(decision.rules.flatMap(\.words).first { $0.keyword == "maosh*" })
        #expect(word.offset == filler.unicodeScalars.count)
        #expect(word.text == "Maoshimni")
    }

    @Test func offsetsInCyrillicAndSubjectAreExact() throws {
        var router = Router(book: try Self.book(Self.wages))
        let decision = router.route(RoutingInput(text: "Брат задержан, не платят зарплату", subject: "Ёрдам"))
        let words = decision.rules.flatMap(\.words)
        let wage = try #require(words.first { $0.keyword == "зарплат*" })
        #expect(wage.field == "text")
        #expect(wage.text == "зарплату")
        #expect(wage.offset == 25)
        #expect(decision.urgent)
        #expect(decision.tags.contains("detention"))
    }

    @Test func tieGoesToTriageWithBothCandidates() throws {
        let rules = """
            rules:
              - id: a
                weight: 2
                when: {any: [pasport*]}
                then: {department: ABROAD}
              - id: b
                weight: 2
                when: {any: [shartnoma*]}
                then: {department: DISPUTES}
            """
        var router = Router(book: try Self.book(rules))
        let decision = router.route(RoutingInput(text: "Pasport va shartnoma masalasi"))
        #expect(decision.triage)
        #expect(decision.department == nil)
        #expect(decision.candidates.map(\.outcome) == ["ABROAD", "DISPUTES"])
        #expect(decision.reason.hasPrefix("tie"))
    }

    @Test func weakShareGoesToTriage() throws {
        let rules = """
            rules:
              - id: a
                weight: 3
                when: {any: [pasport*]}
                then: {department: ABROAD}
              - id: b
                weight: 2
                when: {any: [shartnoma*]}
                then: {department: DISPUTES}
            """
        var strict = Router(book: try Self.book(rules, settings: "min_score: 1\nmin_share: 0.7\n"))
        #expect(strict.route(RoutingInput(text: "pasport shartnoma")).triage)
        var lenient = Router(book: try Self.book(rules, settings: "min_score: 1\nmin_share: 0.55\n"))
        #expect(lenient.route(RoutingInput(text: "pasport shartnoma")).department == "ABROAD")
        var high = Router(book: try Self.book(rules, settings: "min_score: 4\nmin_share: 0.5\n"))
        #expect(high.route(RoutingInput(text: "pasport")).reason.contains("below min_score"))
    }

    @Test func noRuleMeansTriage() throws {
        var router = Router(book: try Self.book(Self.wages))
        let decision = router.route(RoutingInput(text: "Assalomu alaykum"))
        #expect(decision.triage)
        #expect(decision.reason == "no rule matched")
        #expect(decision.policy == "standard")
        #expect(decision.kind == .ariza)
    }

    @Test func outOfCompetenceForwardsWithItsPolicy() throws {
        var router = Router(book: try Self.book(Self.wages))
        let decision = router.route(RoutingInput(text: "Pensiyamni oshirib bering"))
        #expect(decision.outOfCompetence)
        #expect(decision.department == nil)
        #expect(decision.forwardTo == "Ijtimoiy himoya milliy agentligi")
        #expect(decision.policy == "forward")
        #expect(!decision.triage)
        // `not` keeps the rule quiet when the pension is earned abroad.
        #expect(!router.route(RoutingInput(text: "Xorijda ishlagan pensiya")).outOfCompetence)
    }

    @Test func kindComesFromTheSourceFirstThenTheRules() throws {
        var router = Router(book: try Self.book(Self.wages))
        #expect(router.route(RoutingInput(text: "Maosh yuzasidan shikoyat")).kind == .shikoyat)
        #expect(router.route(RoutingInput(text: "Maosh yuzasidan shikoyat", kind: .taklif)).kind == .taklif)
        #expect(router.route(RoutingInput(text: "Maosh yuzasidan shikoyat", kind: .taklif)).policy == "proposal")
    }

    @Test func factsConditions() throws {
        let rules = """
            rules:
              - id: abroad.any
                when:
                  any: [yordam*]
                  abroad: true
                then: {department: ABROAD}
              - id: calls.only
                when:
                  any: [yordam*]
                  channel: call
                  abroad: false
                then: {department: CONTROL}
              - id: region.fergana
                weight: 5
                when:
                  region: ["Farg'ona"]
                  any: [vakansiya*]
                then: {department: PLACEMENT}
            """
        var router = Router(book: try Self.book(rules))
        #expect(router.route(RoutingInput(text: "yordam bering", country: "Rossiya")).department == "ABROAD")
        #expect(router.route(RoutingInput(text: "yordam bering", country: "O'zbekiston")).triage)
        #expect(router.route(RoutingInput(text: "yordam bering", channel: .call)).department == "CONTROL")
        #expect(router.route(RoutingInput(text: "vakansiya bormi", region: "Фарғона")).department == "PLACEMENT")
        #expect(router.route(RoutingInput(text: "vakansiya bormi", region: "Andijon")).triage)
    }

    @Test func kindLanguageAndChannelSetsConditions() throws {
        let rules = """
            rules:
              - id: proposals.written
                when:
                  any: [taklif*, предлож*]
                  kind: [taklif]
                  channel: [email, webhook]
                then: {department: CONTROL}
              - id: russian.visas
                when:
                  any: [виза*, viza*]
                  language: [ru]
                then: {department: ABROAD}
              - id: uzbek.visas
                when:
                  any: [viza*]
                  language: [uz-Latn, uz-Cyrl]
                  not: [rad*]
                then: {department: PLACEMENT}
            """
        var router = Router(book: try Self.book(rules))
        let proposal = "Taklifim bor"
        #expect(router.route(RoutingInput(text: proposal, channel: .email, kind: .taklif)).department == "CONTROL")
        #expect(router.route(RoutingInput(text: proposal, channel: .webhook, kind: .taklif)).department == "CONTROL")
        #expect(router.route(RoutingInput(text: proposal, channel: .call, kind: .taklif)).triage)
        #expect(router.route(RoutingInput(text: proposal, channel: .email, kind: .ariza)).triage)
        #expect(router.route(RoutingInput(text: proposal, channel: .email)).triage)
        #expect(router.route(RoutingInput(text: "Мне нужна виза в Корею")).department == "ABROAD")
        #expect(router.route(RoutingInput(text: "Koreyaga viza kerak")).department == "PLACEMENT")
        #expect(router.route(RoutingInput(text: "Кореяга виза керак")).department == "PLACEMENT")
        #expect(router.route(RoutingInput(text: "Koreyaga viza kerak, rad etishdi")).triage)
    }

    @Test func errorsPointIntoTheFile() throws {
        let rules = """
            rules:
              - id: a
                when: {any: [pasport*]}
                then: {department: ABROD}
              - id: a
                when: {any: [viza]}
                then: {department: PLACEMENT}
              - id: c
                when: {any: ["pas*port"]}
                then: {department: PLACEMENT}
              - id: d
                when: {any: [viza]}
                then: {departmnet: PLACEMENT}
            """
        let errors = try #require(throws: RulesErrors.self) { try Self.book(rules) }
        let text = errors.description
        #expect(text.contains("Rules/routing/test.yaml:5:5: duplicate rule id \"a\""))
        #expect(text.contains("Rules/routing/test.yaml:9:18: `*` may only end a keyword"))
        #expect(text.contains("Rules/routing/test.yaml:13:12: unknown key \"departmnet\""))
        #expect(text.contains("unknown department \"ABROD\""))
        #expect(text.contains("Rules/routing/test.yaml:2:5"))
        #expect(text.contains("^"))
    }

    @Test func contradictoryRulesAreReportedAsNeverFiring() throws {
        let rules = """
            rules:
              - id: never
                when:
                  all: [pasport*]
                  not: [pasport*]
                then: {department: ABROAD}
                examples:
                  - {text: "x", expect: {triage: true}}
              - id: nowhere
                when:
                  any: [viza]
                  abroad: false
                  country: [Rossiya]
                then: {department: PLACEMENT}
                examples:
                  - {text: "x", expect: {triage: true}}
              - id: fine
                when:
                  any: [viza]
                  not: [pasport]
                then: {department: PLACEMENT}
                examples:
                  - {text: "viza", expect: {department: PLACEMENT}}
            """
        let book = try Self.book(rules)
        let messages = book.warnings.map(\.message)
        #expect(messages.contains("rule never can never fire: its conditions contradict each other"))
        #expect(messages.contains("rule nowhere can never fire: its conditions contradict each other"))
        #expect(!messages.contains { $0.contains("rule fine") })
    }

    @Test func keywordsThatAddNothingToTheirListAreReported() throws {
        let rules = """
            rules:
              - id: same
                when: {any: ["o'qish", "oqish", "solig'*", "soliq*"]}
                then: {department: ABROAD}
              - id: covered
                when:
                  any: ["pasport*", "pasportim"]
                  all: ["viza*", "vizam"]
                then: {department: PLACEMENT}
              - id: inside
                when: {any: ["shartnoma*", "mehnat shartnomasi"]}
                then: {department: DISPUTES}
              - id: apart
                when: {any: ["dollar*", "доллар*", "ish haqi", "ish haqimni bermadi", "вакансi*"]}
                then: {department: DISPUTES}
            """
        let book = try Self.book(rules)
        let messages = book.warnings.map(\.message)
        let redundant = messages.filter { $0.contains("redundant") }
        #expect(redundant.contains { $0.contains("\"oqish\" and \"o'qish\" are the same after normalization") })
        #expect(redundant.contains { $0.contains("\"soliq*\" and \"solig'*\" are the same") })
        // In `any` the longer keyword adds nothing; in `all` the prefix one does.
        #expect(
            redundant.contains(
                "\"pasport*\" matches everything \"pasportim\" matches: in `any`, \"pasportim\" is redundant"))
        #expect(redundant.contains("\"viza*\" matches everything \"vizam\" matches: in `all`, \"viza*\" is redundant"))
        #expect(
            redundant.contains(
                "\"shartnoma*\" matches everything \"mehnat shartnomasi\" matches: in `any`, \"mehnat shartnomasi\" is "
                    + "redundant"))
        // A keyword in each script, and phrases that only share a beginning, are written so on purpose.
        #expect(!redundant.contains { $0.contains("dollar") || $0.contains("ish haqi") })
        #expect(redundant.count == 5)
        #expect(messages.contains("the word \"вакансi\" mixes Latin and Cyrillic letters: a typo?"))
        // Warnings leave the rules in force.
        #expect(book.rules.count == 4)
    }

    @Test(arguments: [
        ("Агентство взяло 3000 долларов и исчезло", "долларов"),
        ("Agentlik 3000 dollar olib ketdi", "dollar"),
        ("Агентлик 3000 доллар олиб кетди", "доллар"),
    ])
    func aCyrillicKeywordThatLooksUzbekAlsoMatchesAsRussian(text: String, word: String) throws {
        // "доллар" alone ends like the Uzbek plural (-лар) and reads as Uzbek "dollar"; a Russian text keeps
        // "долларов" in Cyrillic. The keyword matches both ways.
        let rules = """
            rules:
              - id: money
                when: {any: ["доллар*"]}
                then: {department: DISPUTES}
            """
        var router = Router(book: try Self.book(rules))
        let decision = router.route(RoutingInput(text: text))
        #expect(decision.department == "DISPUTES")
        #expect(decision.rules.first?.words.map(\.text) == [word])
    }

    @Test func examplesAreCheckedAgainstTheWholeSet() throws {
        let rules = """
            rules:
              - id: a
                weight: 2
                when: {any: [maosh*]}
                then: {department: ABROAD}
                examples:
                  - {text: "Maoshimni bermayapti", expect: {department: ABROAD, triage: false}}
                  - {text: "Maosh va viza", expect: {department: ABROAD}}
              - id: b
                weight: 2
                when: {any: [viza*]}
                then: {department: PLACEMENT}
            """
        let results = try Self.book(rules).checkExamples()
        #expect(results.count == 2)
        #expect(results[0].passed)
        #expect(!results[1].passed)
        #expect(results[1].failures.first?.en == "department: expected ABROAD, got null")
    }

    @Test func manyRulesStillMatchExactly() throws {
        // 3,000 generated rules sharing prefixes: only the rule whose word is in the text fires.
        var yaml = "rules:\n"
        for index in 0..<3000 {
            yaml +=
                "  - id: r\(index)\n    when: {any: [\"soz\(index)x\"]}\n    then: {department: "
                + ["ABROAD", "DISPUTES", "PLACEMENT", "CONTROL"][index % 4] + "}\n"
        }
        var router = Router(book: try Self.book(yaml))
        let decision = router.route(RoutingInput(text: "bu yerda soz1234x bor, soz12 esa yoq"))
        #expect(decision.rules.map(\.id) == ["r1234"])
        #expect(decision.department == "PLACEMENT")  // 1234 % 4 == 2
    }
}

@Suite struct RoutingDecisionJSONTests {
    /// The stored form is written by hand for speed; it must be the document `Codable` reads back, unchanged.
    @Test(arguments: [
        "Rossiyada ish haqimni bermayapti, shikoyat qilaman",
        "viza \"tez\" kerak\\ va qamoqqa olindi\nиш ҳақи",
        "Pensiyam hisoblanmadi",
        "hech narsa",
    ])
    func theStoredJSONDecodesToTheSameDecision(text: String) throws {
        var router = Router(book: try RouterTests.book(RouterTests.wages))
        let decision = router.route(RoutingInput(text: text, subject: "Mavzu: \"ish haqi\""))
        let decoded = try JSONDecoder().decode(RoutingExplanation.self, from: Data(decision.jsonText.utf8))
        #expect(decoded == decision.explanation)
        // And the same document JSONEncoder writes for the decision.
        let encoded = try JSONDecoder().decode(RoutingExplanation.self, from: JSONEncoder().encode(decision))
        #expect(encoded == decoded)
    }
}
