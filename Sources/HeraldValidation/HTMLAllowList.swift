/// The elements an HTML fragment may contain, and for each element the attributes it may carry and the values
/// those attributes may take.
///
/// Element and attribute names are lowercase, as libxml2's HTML parser reports them. An element missing from
/// ``elements`` is not allowed; an attribute missing from its element's rules is not allowed.
public struct HTMLAllowList: Hashable, Sendable {
    /// The allowed elements by name, each with its allowed attributes by name and the rule for their values.
    public var elements: [String: [String: AttributeRule]]

    /// Creates an allow-list from element names mapped to their attribute rules.
    public init(elements: [String: [String: AttributeRule]]) {
        self.elements = elements
    }
}
