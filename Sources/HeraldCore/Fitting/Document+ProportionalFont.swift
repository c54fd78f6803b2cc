extension Document {
    /// One ``Degradation/Kind/styleNotShown`` per code block (a table shown as aligned text is one after fitting),
    /// for a service whose text has no monospace font (Pushover, SMS, Pushbullet): the block is shown, but in the
    /// service's usual font, so columns may not line up.
    public func monospaceBlocksNotShown(on serviceName: String) -> [Degradation] {
        blocks.compactMap { block in
            guard case .codeBlock(let code, let origin) = block else { return nil }
            return Degradation(
                kind: .styleNotShown, origin: origin, subject: code.source,
                message: "monospace not shown on \(serviceName): the block is shown in its usual font")
        }
    }
}
