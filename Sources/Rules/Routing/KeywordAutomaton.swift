import MurojaatCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// All keywords of all rules compiled into one automaton over ``MurojaatCore/MatchAlphabet``: a trie of every
/// keyword, walked from each word start of a text, whatever the number of rules.
///
/// Every keyword begins with the word separator (keywords match on word boundaries), so every occurrence begins at
/// a separator of the text, and a walk from each separator that stops where the trie has no way on finds every
/// occurrence exactly once. That is what an Aho-Corasick automaton finds, without its cost: it read every symbol of
/// the text through the table, one dependent load after another, while a walk ends after the two or three letters
/// of a word that begin no keyword, and the walks of different words do not wait for each other.
///
/// Three things keep the table small and the walk short, which is what keeps ten thousand rules nearly as fast as a
/// hundred: columns are classes of symbols (all symbols no keyword uses share one column, where every walk ends);
/// states are numbered breadth-first near the root, where most walks end, so those rows sit together at the start
/// of the table, and depth-first below, so a walk down one long keyword reads neighbouring rows; and an entry is the
/// next state's row offset (state × stride) with the top bit set when keywords end there, so the walk adds instead
/// of multiplying and looks at outputs only then.
final class KeywordAutomaton: Sendable {
    /// Columns per state: the number of symbol classes.
    let stride: Int
    /// The column of each symbol of the alphabet.
    let symbolClass: [UInt8]
    /// `(states + 1) * stride` entries: next row offset, ``endsKeyword`` bit; 0, the dead row, where the trie
    /// has no way on.
    let transitions: TransitionTable
    static let endsKeyword: UInt32 = 1 << 31
    /// Keywords that end in each state: `outputs[outputStart[s]..<outputStart[s + 1]]`.
    let outputStart: [UInt32]
    let outputs: [UInt32]
    /// Where the root's row starts (every walk's first step).
    let rootRow: Int
    /// States this close to the root are where most walks end; they come first in the table.
    static let shallowDepth: Int32 = 3

    /// `patterns` must each begin with ``MurojaatCore/MatchAlphabet/separator``.
    init(patterns: [[UInt8]], alphabet: Int) {
        precondition(
            patterns.allSatisfy { $0.first == MatchAlphabet.separator }, "every keyword begins at a word boundary")
        // Class 0 is every symbol no keyword uses.
        var classes = [UInt8](repeating: 0, count: alphabet)
        var width = 1
        for pattern in patterns {
            for symbol in pattern where classes[Int(symbol)] == 0 {
                classes[Int(symbol)] = UInt8(width)
                width += 1
            }
        }
        precondition(width <= 256, "the alphabet has at most 255 symbols")
        symbolClass = classes
        stride = width

        // The trie, numbered as keywords are added; 0 (the root) is "absent", as nothing leads back to the root.
        var table = [UInt32](repeating: 0, count: width)
        var own: [[UInt32]] = [[]]
        var depth: [Int32] = [0]
        for (id, pattern) in patterns.enumerated() {
            var state = 0
            for symbol in pattern {
                let slot = state * width + Int(classes[Int(symbol)])
                if table[slot] == 0 {
                    table[slot] = UInt32(own.count)
                    own.append([])
                    depth.append(depth[state] + 1)
                    table.append(contentsOf: repeatElement(0, count: width))
                }
                state = Int(table[slot])
            }
            own[state].append(UInt32(id))
        }
        let count = own.count

        // Renumbered: the shallow states breadth-first (the root first), then each deeper keyword's own chain of
        // states depth-first.
        var shallow: [Int] = []
        var queue = [0]
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            shallow.append(state)
            for column in 0..<width where table[state * width + column] != 0 {
                let child = Int(table[state * width + column])
                if depth[child] <= Self.shallowDepth { queue.append(child) }
            }
        }
        var deep: [Int] = []
        var stack = [0]
        while let state = stack.popLast() {
            if depth[state] > Self.shallowDepth { deep.append(state) }
            for column in (0..<width).reversed() where table[state * width + column] != 0 {
                stack.append(Int(table[state * width + column]))
            }
        }
        // Row 0 is a dead state whose entries all lead back to it: a walk that left the trie stays there without
        // a test, so the first steps of a walk need no branch (see `scan`).
        let order = shallow + deep
        precondition(
            order.count == count && (count + 1) * width < Int(KeywordAutomaton.endsKeyword), "too many keyword states")
        var renumbered = [UInt32](repeating: 0, count: count)
        for (new, old) in order.enumerated() { renumbered[old] = UInt32(new + 1) }
        var transitions = [UInt32](repeating: 0, count: (count + 1) * width)
        var starts = [UInt32](repeating: 0, count: count + 2)
        var flat: [UInt32] = []
        for (new, old) in order.enumerated() {
            let row = (new + 1) * width
            for column in 0..<width {
                let next = Int(table[old * width + column])
                guard next != 0 else { continue }
                transitions[row + column] =
                    renumbered[next] * UInt32(width) | (own[next].isEmpty ? 0 : KeywordAutomaton.endsKeyword)
            }
            starts[new + 1] = UInt32(flat.count)
            flat += own[old]
        }
        starts[count + 1] = UInt32(flat.count)
        rootRow = Int(renumbered[0]) * width
        self.transitions = TransitionTable(transitions)
        outputStart = starts
        outputs = flat
    }

    /// Calls `found(keyword, endIndex)` for every occurrence of every keyword in `text`, once each, in the order of
    /// their starts (and of their ends for one start).
    ///
    /// Most walks end within a few letters, at a place no branch predictor can guess, and most steps find no
    /// keyword. So the first ``straightSteps`` steps of a walk are taken without a test (a walk that left the trie
    /// is in the dead row), and only then one test asks whether the walk passed a keyword or is still going: the
    /// walks of neighbouring words then overlap in the processor instead of each waiting on a mispredicted branch.
    /// Word starts are found eight symbols at a time.
    @inline(__always)
    func scan(_ text: UnsafeBufferPointer<UInt8>, _ found: (Int, Int) -> Void) {
        guard let symbols = text.baseAddress else { return }
        let table = transitions.base
        let count = text.count
        symbolClass.withUnsafeBufferPointer { classes in
            outputStart.withUnsafeBufferPointer { starts in
                outputs.withUnsafeBufferPointer { outs in
                    let classes = classes.baseAddress!
                    let starts = starts.baseAddress!
                    let outs = outs.baseAddress!
                    let stride = self.stride
                    let ends = KeywordAutomaton.endsKeyword
                    let afterSeparator = table[rootRow &+ Int(classes[Int(MatchAlphabet.separator)])]
                    guard afterSeparator != 0 else { return }
                    @inline(__always) func step(_ entry: UInt32, _ index: Int) -> UInt32 {
                        table[Int(entry & ~ends) &+ Int(classes[Int(symbols[index])])]
                    }
                    /// A walk from the entry `first` read at `firstIndex`, every step tested.
                    @inline(__always) func walk(next first: UInt32, at firstIndex: Int) {
                        var next = first
                        var index = firstIndex
                        while true {
                            if next & ends != 0 {
                                let state = Int(next & ~ends) / stride
                                for k in Int(starts[state])..<Int(starts[state &+ 1]) { found(Int(outs[k]), index) }
                            }
                            index &+= 1
                            guard index < count else { return }
                            next = step(next, index)
                            if next == 0 { return }
                        }
                    }
                    @inline(__always) func walk(from start: Int) {
                        guard start &+ Self.straightSteps < count else {
                            walk(next: afterSeparator, at: start)
                            return
                        }
                        let one = step(afterSeparator, start &+ 1)
                        let two = step(one, start &+ 2)
                        let three = step(two, start &+ 3)
                        let four = step(three, start &+ 4)
                        if (afterSeparator | one | two | three | four) & ends != 0 {
                            walk(next: afterSeparator, at: start)
                        } else if four != 0 {
                            walk(next: four, at: start &+ Self.straightSteps)
                        }
                    }
                    var base = 0
                    while base &+ 8 <= count {
                        let word = UnsafeRawPointer(symbols + base).loadUnaligned(as: UInt64.self)
                        // The top bit of each byte that is a separator (0), with no carry between bytes; bytes
                        // in memory order from the low end (little-endian, as every platform Swift runs on here).
                        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
                        var separators = ~(((word & low) &+ low) | word | low)
                        while separators != 0 {
                            walk(from: base &+ separators.trailingZeroBitCount >> 3)
                            separators &= separators &- 1
                        }
                        base &+= 8
                    }
                    while base < count {
                        if symbols[base] == MatchAlphabet.separator { walk(from: base) }
                        base &+= 1
                    }
                }
            }
        }
    }

    /// Steps of a walk taken before its first test: a separator and three letters cover most words that begin no
    /// keyword. `scan` writes the four steps out one by one; the two change together.
    static let straightSteps = 4
}

/// The transition table in memory of its own: with ten thousand rules it is tens of megabytes, and a text that
/// walks a rarely used keyword reads rows nobody read lately. On Linux the table asks for huge pages, so such a
/// walk costs a cache miss per row and not a page-table walk as well.
final class TransitionTable: @unchecked Sendable {
    // Written once in init, read-only after: safe to share between threads.
    let base: UnsafeMutablePointer<UInt32>
    let count: Int

    init(_ values: [UInt32]) {
        count = values.count
        let bytes = max(values.count, 1) * MemoryLayout<UInt32>.stride
        let hugePage = 1 << 21
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, bytes >= hugePage ? hugePage : 64, bytes) == 0, let raw else {
            fatalError("out of memory for the keyword automaton (\(bytes) bytes)")
        }
        #if os(Linux)
        if bytes >= hugePage {
            // Advice only: without transparent huge pages the table works the same, a little slower.
            _ = madvise(raw, (bytes + hugePage - 1) / hugePage * hugePage, MADV_HUGEPAGE)
        }
        #endif
        base = raw.bindMemory(to: UInt32.self, capacity: max(values.count, 1))
        values.withUnsafeBufferPointer { source in
            if let from = source.baseAddress { base.initialize(from: from, count: values.count) }
        }
    }

    deinit { free(base) }
}
