#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// All keywords of all rules compiled into one Aho-Corasick automaton over ``MurojaatCore/MatchAlphabet``, expanded
/// to a full transition table: one table lookup per symbol of text, whatever the number of rules.
///
/// Three things keep the table small and the loop short, which is what keeps ten thousand rules nearly as fast as
/// a hundred: columns are classes of symbols (all symbols no keyword uses share one column); states are numbered
/// breadth-first, so the shallow states most text stays in sit together at the start of the table; and an entry
/// is the next state's row offset (state × stride) with the top bit set when keywords end there, so the loop adds
/// instead of multiplying and looks at outputs only then.
struct KeywordAutomaton: Sendable {
    /// Columns per state: the number of symbol classes.
    let stride: Int
    /// The column of each symbol of the alphabet.
    let symbolClass: [UInt8]
    /// `stateCount * stride` entries: next row offset, ``endsKeyword`` bit.
    let transitions: TransitionTable
    static let endsKeyword: UInt32 = 1 << 31
    /// Keywords that end in each state (its own and its suffixes'): `outputs[outputStart[s]..<outputStart[s + 1]]`.
    let outputStart: [UInt32]
    let outputs: [UInt32]
    let stateCount: Int
    /// Symbols of the longest keyword: how far before its half the second reader of a text starts.
    let longest: Int
    /// States this close to the root are where most text is read; they come first in the table.
    static let shallowDepth: Int32 = 2

    init(patterns: [[UInt8]], alphabet: Int) {
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
        longest = patterns.map(\.count).max() ?? 0

        // The trie, numbered as keywords are added.
        let absent = UInt32.max
        var table = [UInt32](repeating: absent, count: width)
        var own: [[UInt32]] = [[]]
        var depth: [Int32] = [0]
        for (id, pattern) in patterns.enumerated() {
            var state = 0
            for symbol in pattern {
                let slot = state * width + Int(classes[Int(symbol)])
                if table[slot] == absent {
                    table[slot] = UInt32(own.count)
                    own.append([])
                    depth.append(depth[state] + 1)
                    table.append(contentsOf: repeatElement(absent, count: width))
                }
                state = Int(table[slot])
            }
            own[state].append(UInt32(id))
        }
        let count = own.count
        // Below the shallow states, each keyword's own chain of states is numbered consecutively (depth first), so
        // a text that walks one deep keyword reads neighbouring rows, which the processor fetches ahead.
        var deep: [Int] = []
        var stack = [0]
        while let state = stack.popLast() {
            if depth[state] > Self.shallowDepth { deep.append(state) }
            for column in (0..<width).reversed() where table[state * width + column] != absent {
                stack.append(Int(table[state * width + column]))
            }
        }

        // Failure links breadth-first, filling every absent transition from the failure state's row.
        var fail = [UInt32](repeating: 0, count: count)
        var queue: [Int] = [0]
        queue.reserveCapacity(count)
        for column in 0..<width {
            if table[column] == absent {
                table[column] = 0
            } else {
                queue.append(Int(table[column]))
            }
        }
        var head = 1
        while head < queue.count {
            let state = queue[head]
            head += 1
            let failRow = Int(fail[state]) * width
            // Suffix outputs are merged breadth-first, so the fail state's list is already complete.
            if !own[Int(fail[state])].isEmpty { own[state] += own[Int(fail[state])] }
            for column in 0..<width {
                let slot = state * width + column
                let child = table[slot]
                if child == absent {
                    table[slot] = table[failRow + column]
                } else {
                    fail[Int(child)] = table[failRow + column]
                    queue.append(Int(child))
                }
            }
        }

        // Renumbered: the shallow states breadth-first (the root first), then the deep ones depth-first.
        precondition(count * width < Int(KeywordAutomaton.endsKeyword), "too many keyword states")
        let order = queue.filter { depth[$0] <= Self.shallowDepth } + deep
        var renumbered = [UInt32](repeating: 0, count: count)
        for (new, old) in order.enumerated() { renumbered[old] = UInt32(new) }
        var transitions = [UInt32](repeating: 0, count: count * width)
        var starts = [UInt32](repeating: 0, count: count + 1)
        var flat: [UInt32] = []
        for (new, old) in order.enumerated() {
            for column in 0..<width {
                let next = Int(table[old * width + column])
                transitions[new * width + column] =
                    renumbered[next] * UInt32(width) | (own[next].isEmpty ? 0 : KeywordAutomaton.endsKeyword)
            }
            starts[new] = UInt32(flat.count)
            flat += own[old]
        }
        starts[count] = UInt32(flat.count)
        self.transitions = TransitionTable(transitions)
        outputStart = starts
        outputs = flat
        stateCount = count
    }

    /// Calls `found(keyword, endIndex)` for every occurrence of every keyword in `text`, once each; occurrences
    /// in the second half of the text may be reported before earlier ones.
    ///
    /// Each step of one reader waits for the table entry the step before it loaded, so a long text is read by two
    /// readers side by side, the first half and the second, and the processor overlaps their loads. The second
    /// reader starts `longest` symbols before its half, so it has read the whole of any keyword ending there; it
    /// reports only what ends in its half.
    @inline(__always)
    func scan(_ text: UnsafeBufferPointer<UInt8>, _ found: (Int, Int) -> Void) {
        guard let symbols = text.baseAddress else { return }
        let table = transitions.base
        let count = text.count
        let longest = self.longest
        symbolClass.withUnsafeBufferPointer { classes in
            outputStart.withUnsafeBufferPointer { starts in
                outputs.withUnsafeBufferPointer { outs in
                    let classes = classes.baseAddress!
                    let starts = starts.baseAddress!
                    let outs = outs.baseAddress!
                    let stride = self.stride
                    @inline(__always) func report(_ next: UInt32, _ index: Int) {
                        let state = Int(next & ~KeywordAutomaton.endsKeyword) / stride
                        for k in Int(starts[state])..<Int(starts[state &+ 1]) { found(Int(outs[k]), index) }
                    }
                    var row = 0
                    var first = 0
                    if count >= 2 * longest + 64 {
                        let half = (count + longest) / 2
                        let second = half - longest
                        let steps = count - second
                        var otherRow = 0
                        while first < half {
                            let next = table[row &+ Int(classes[Int(symbols[first])])]
                            let other = table[otherRow &+ Int(classes[Int(symbols[second &+ first])])]
                            row = Int(next & ~KeywordAutomaton.endsKeyword)
                            otherRow = Int(other & ~KeywordAutomaton.endsKeyword)
                            if (next | other) & KeywordAutomaton.endsKeyword != 0 {
                                if next & KeywordAutomaton.endsKeyword != 0 { report(next, first) }
                                if other & KeywordAutomaton.endsKeyword != 0 && second &+ first >= half {
                                    report(other, second &+ first)
                                }
                            }
                            first &+= 1
                        }
                        // The second reader has as many symbols as the first, or one more.
                        row = otherRow
                        first = second &+ first
                        precondition(steps - half <= 1)
                    }
                    while first < count {
                        let next = table[row &+ Int(classes[Int(symbols[first])])]
                        row = Int(next & ~KeywordAutomaton.endsKeyword)
                        if next & KeywordAutomaton.endsKeyword != 0 { report(next, first) }
                        first &+= 1
                    }
                }
            }
        }
    }
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
