import Testing
@testable import PromptTemplates

/// A map keeps its keys as a Python dict does; every expected text is what python3 prints.
@Suite struct TemplateMapTests {
    @Test func keysKeepTheOrderWritten() {
        let map: TemplateMap = ["zeta": .int(1), "alpha": .int(2), "mid": .map(["b": .int(1), "a": .int(2)])]
        #expect(map.keys == ["zeta", "alpha", "mid"])
        #expect(map.map(\.key) == ["zeta", "alpha", "mid"])
        #expect(map.values == [.int(1), .int(2), .map(["b": .int(1), "a": .int(2)])])
        #expect(map.count == 3)
        #expect(TemplateValue.map(map).pythonRepr == "{'zeta': 1, 'alpha': 2, 'mid': {'b': 1, 'a': 2}}")
        #expect(TemplateValue.list([.map(["y": .int(1), "b": .int(2)]), .string("x")]).pixSimText == "[{'y': 1, 'b': 2}, 'x']")
        #expect(TemplateValue.map(map.mapValues { _ in .null }).pythonRepr == "{'zeta': None, 'alpha': None, 'mid': None}")
        // promptsite's own rendering stays in sorted order.
        #expect(TemplateValue.map(map).renderedText == "alpha: 2, mid: a: 2, b: 1, zeta: 1")
    }

    /// Python's `dict(pairs)`, `json.load` and PyYAML: the first place, the last value.
    @Test func aRepeatedKeyKeepsItsFirstPlaceAndItsLastValue() {
        let map = TemplateMap([("zeta", .int(1)), ("alpha", .int(2)), ("zeta", .int(3))])
        #expect(map.keys == ["zeta", "alpha"])
        #expect(map["zeta"] == .int(3))
        #expect(TemplateValue.map(map).pythonRepr == "{'zeta': 3, 'alpha': 2}")
    }

    @Test func settingAKeyKeepsItsPlaceAndANewKeyGoesLast() {
        var map: TemplateMap = ["zeta": .int(1), "alpha": .int(2)]
        map["zeta"] = .int(9)
        #expect(TemplateValue.map(map).pythonRepr == "{'zeta': 9, 'alpha': 2}")
        map["new"] = .null
        #expect(TemplateValue.map(map).pythonRepr == "{'zeta': 9, 'alpha': 2, 'new': None}")
        // Removed and set again, as `del d[k]; d[k] = v`: it goes last.
        #expect(map.removeValue(forKey: "zeta") == .int(9))
        #expect(map.removeValue(forKey: "zeta") == nil)
        map["zeta"] = .int(9)
        #expect(TemplateValue.map(map).pythonRepr == "{'alpha': 2, 'new': None, 'zeta': 9}")
        map["new"] = nil
        #expect(map.keys == ["alpha", "zeta"])
        #expect(map.count == 2 && !map.isEmpty)
        #expect(TemplateMap().isEmpty)
    }

    /// Python: `{'a': 1, 'b': 2} == {'b': 2, 'a': 1}` is True.
    @Test func equalityAndHashingIgnoreOrder() {
        let ab: TemplateMap = ["a": .int(1), "b": .int(2)]
        let ba: TemplateMap = ["b": .int(2), "a": .int(1)]
        #expect(ab.keys != ba.keys)
        #expect(ab == ba)
        #expect(ab.hashValue == ba.hashValue)
        #expect(Set([TemplateValue.map(ab), .map(ba)]).count == 1)
        #expect(PythonComparison.equal(.map(ab), .map(ba)))
        #expect(ab != ["a": .int(1), "b": .int(3)])
        #expect(ab != ["a": .int(1)])
        #expect(!PythonComparison.equal(.map(ab), .map(["a": .int(1), "c": .int(2)])))
    }

    /// `set(_:at:)` as `d['npc']['name'] = v`; `merging` as a nested `dict.update`.
    @Test func valuesSetAndMergedKeepPythonsOrder() {
        var values = TemplateValues(["npc": .map(["name": .string("Mara"), "id": .string("m1")]), "b": .int(1)])
        values.set(.string("Orrin"), at: "npc.name")
        values.set(.int(3), at: "npc.age")
        #expect(TemplateValue.map(values.root).pythonRepr == "{'npc': {'name': 'Orrin', 'id': 'm1', 'age': 3}, 'b': 1}")

        let base = TemplateValues(["npc": .map(["name": .string("Mara"), "id": .string("m1")]), "mood": .string("calm")])
        let top = TemplateValues(["extra": .int(1), "npc": .map(["title": .string("Dr"), "name": .string("Orrin")])])
        #expect(TemplateValue.map(base.merging(top).root).pythonRepr
                == "{'npc': {'name': 'Orrin', 'id': 'm1', 'title': 'Dr'}, 'mood': 'calm', 'extra': 1}")
        // A flat dotted key gives way to the nested value, which is new and goes last.
        let flat = TemplateValues(["npc.name": .string("Mara"), "mood": .string("calm")])
        #expect(TemplateValue.map(flat.merging(TemplateValues(["npc": .map(["name": .string("Orrin")])])).root).pythonRepr
                == "{'mood': 'calm', 'npc': {'name': 'Orrin'}}")
    }
}
