extension Catalog {
    /// The block a generation log names: its id, or `<package>:<id>` as PixSim7's loader names
    /// the blocks of a package (`vampire_seduction:vampire_mirror_seduction`); the package must be
    /// the block's own. Nil when no block answers to the name.
    public func block(loggedAs name: String) -> ActionBlock? {
        if let block = block(name) { return block }
        guard let colon = name.firstIndex(of: ":") else { return nil }
        let package = String(name[..<colon]), id = String(name[name.index(after: colon)...])
        guard let block = block(id), block.package == package else { return nil }
        return block
    }
}
