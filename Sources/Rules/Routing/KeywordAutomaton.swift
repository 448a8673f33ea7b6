/// All keywords of all rules compiled into one Aho-Corasick automaton over ``MurojaatCore/MatchAlphabet``, expanded
/// to a full transition table: one table lookup per symbol of text, whatever the number of rules.
struct KeywordAutomaton: Sendable {
    let stride: Int
    /// `stateCount * stride` next states.
    let transitions: [UInt32]
    /// Keywords that end in each state (its own and its suffixes'): `outputs[outputStart[s]..<outputStart[s + 1]]`.
    let outputStart: [UInt32]
    let outputs: [UInt32]
    let stateCount: Int

    init(patterns: [[UInt8]], alphabet: Int) {
        stride = alphabet
        let absent = UInt32.max
        var table = [UInt32](repeating: absent, count: alphabet)
        var own: [[UInt32]] = [[]]
        for (id, pattern) in patterns.enumerated() {
            var state = 0
            for symbol in pattern {
                let slot = state * alphabet + Int(symbol)
                if table[slot] == absent {
                    table[slot] = UInt32(own.count)
                    own.append([])
                    table.append(contentsOf: repeatElement(absent, count: alphabet))
                }
                state = Int(table[slot])
            }
            own[state].append(UInt32(id))
        }
        let count = own.count
        var fail = [UInt32](repeating: 0, count: count)
        var queue: [Int] = []
        queue.reserveCapacity(count)
        for symbol in 0..<alphabet {
            if table[symbol] == absent {
                table[symbol] = 0
            } else {
                queue.append(Int(table[symbol]))
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            let failRow = Int(fail[state]) * alphabet
            // Suffix outputs are merged breadth-first, so the fail state's list is already complete.
            if !own[Int(fail[state])].isEmpty { own[state] += own[Int(fail[state])] }
            for symbol in 0..<alphabet {
                let slot = state * alphabet + symbol
                let child = table[slot]
                if child == absent {
                    table[slot] = table[failRow + symbol]
                } else {
                    fail[Int(child)] = table[failRow + symbol]
                    queue.append(Int(child))
                }
            }
        }
        var starts = [UInt32](repeating: 0, count: count + 1)
        var flat: [UInt32] = []
        for state in 0..<count {
            starts[state] = UInt32(flat.count)
            flat += own[state]
        }
        starts[count] = UInt32(flat.count)
        transitions = table
        outputStart = starts
        outputs = flat
        stateCount = count
    }

    /// Calls `found(keyword, endIndex)` for every occurrence of every keyword in `symbols`.
    @inline(__always)
    func scan(_ symbols: [UInt8], _ found: (Int, Int) -> Void) {
        transitions.withUnsafeBufferPointer { table in
            outputStart.withUnsafeBufferPointer { starts in
                outputs.withUnsafeBufferPointer { outs in
                    symbols.withUnsafeBufferPointer { text in
                        var state = 0
                        let stride = self.stride
                        for index in 0..<text.count {
                            state = Int(table[state &* stride &+ Int(text[index])])
                            let first = Int(starts[state])
                            let last = Int(starts[state &+ 1])
                            if first != last {
                                for k in first..<last { found(Int(outs[k]), index) }
                            }
                        }
                    }
                }
            }
        }
    }
}
