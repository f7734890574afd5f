//! What the engine needs to know about each grammar, resolved once per language into flags per
//! node-kind id, so that the matcher and the taint walker test a kind with one array lookup.
//!
//! The tables name kinds as the grammars spell them; names a grammar does not have are simply
//! never set.

use std::sync::OnceLock;

use crate::lang::Language;

/// Anonymous tokens that matching ignores (brackets, separators).
pub(crate) const PUNCT: u32 = 1;
/// Anonymous tokens a pattern may leave out (`async`, `->`, keywords before a declaration).
pub(crate) const SKIP_TOKEN: u32 = 1 << 1;
/// String literals, compared by content.
pub(crate) const STRING: u32 = 1 << 2;
/// Statement containers: their named children are statements.
pub(crate) const BLOCK: u32 = 1 << 3;
/// Named function and method definitions: a fresh scope for taint.
pub(crate) const FUNCTION: u32 = 1 << 4;
/// Anonymous functions and closures: they see the enclosing scope.
pub(crate) const LAMBDA: u32 = 1 << 5;
/// Parenthesised expressions, transparent in matching.
pub(crate) const PAREN: u32 = 1 << 6;
/// Named children a pattern may leave out (modifiers, decorators, annotations).
pub(crate) const SKIP_KIND: u32 = 1 << 7;
/// Keyword arguments: matched in any order.
pub(crate) const UNORDERED: u32 = 1 << 8;
/// Parameters with a type or default value; a plain name in a pattern matches their name.
pub(crate) const PARAM_WRAPPER: u32 = 1 << 9;
/// A node whose range extends the range of the definition it wraps (Python decorators).
pub(crate) const DECORATED: u32 = 1 << 10;
/// Identifiers that can name a variable.
pub(crate) const IDENT: u32 = 1 << 11;
/// Declaration statements holding declarators (`const a = 1, b = 2;`).
pub(crate) const DECL_STMT: u32 = 1 << 12;
/// Declarators with a name and an optional initial value.
pub(crate) const DECLARATOR: u32 = 1 << 13;
/// Loops: their body runs zero or more times.
pub(crate) const LOOP: u32 = 1 << 14;
/// Conditionals and exception handling: their parts are alternative paths.
pub(crate) const BRANCH: u32 = 1 << 15;
/// Parts of a branch that are taken instead of the main path (`else`, `except`, `case`).
pub(crate) const ELSE_LIKE: u32 = 1 << 16;
/// Class definitions (their members are walked, their bodies are not one scope).
pub(crate) const CLASS: u32 = 1 << 17;
/// Argument and parameter lists and other lists whose items are not skippable.
pub(crate) const LIST: u32 = 1 << 18;
/// Import statements (alias resolution).
pub(crate) const IMPORT: u32 = 1 << 19;
/// `this` / `self`-like receivers (part of attribute paths).
pub(crate) const SELF_LIKE: u32 = 1 << 20;
/// Named delimiters of string literals (`string_start`), left out when comparing strings.
pub(crate) const DELIM: u32 = 1 << 21;
/// Subscripts (`a[i]`): the first named child is the collection.
pub(crate) const SUBSCRIPT: u32 = 1 << 22;
/// Records whose pattern lists only some of the fields (JavaScript objects).
pub(crate) const OPEN: u32 = 1 << 23;
/// Right-nested lists (PHP's `echo a, b, c`): their items are spliced into the parent's.
pub(crate) const FLATTEN: u32 = 1 << 24;
/// `try` statements.
pub(crate) const TRY: u32 = 1 << 25;
/// Exception handlers of a `try` (`except`, `catch`, `rescue`).
pub(crate) const HANDLER: u32 = 1 << 26;
/// `finally` / `ensure` parts of a `try`.
pub(crate) const FINALLY: u32 = 1 << 27;
/// Named kinds (as the grammar says; cached to save a call per node when indexing).
pub(crate) const NAMED: u32 = 1 << 28;

/// How an assignment-like node is laid out: which children are written and read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AssignShape {
    pub kind: u16,
    /// Field of the written place; `None`: the first named child.
    pub lhs: Option<u16>,
    /// Field of the value; `None`: the last named child.
    pub rhs: Option<u16>,
    /// Augmented (`+=`): the old value flows into the new one.
    pub augmented: bool,
}

/// A member access (`a.b`): which child is the object and which the member name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MemberShape {
    pub kind: u16,
    /// Field of the object; `None`: the first named child.
    pub object: Option<u16>,
    /// Field of the member; `None`: the last named child.
    pub member: Option<u16>,
}

/// A call: which child is the callee, which the receiver (for method calls), which the
/// arguments.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallShape {
    pub kind: u16,
    pub function: Option<u16>,
    pub receiver: Option<u16>,
    pub arguments: Option<u16>,
}

/// A loop that binds a variable to the elements of a collection (`for x in xs`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ForEachShape {
    pub kind: u16,
    pub target: Option<u16>,
    pub iterable: Option<u16>,
}

/// A kind of node a pattern node of another kind may match, with the children paired by field:
/// `$X = f()` matches `const x = f()`.
#[derive(Debug, Clone)]
pub(crate) struct Equivalence {
    pub pattern: u16,
    pub target: u16,
    pub rule: EquivRule,
}

#[derive(Debug, Clone)]
pub(crate) enum EquivRule {
    /// Children paired by field: (pattern field, target field).
    Fields(Vec<(u16, u16)>),
    /// The pattern's only named child matches one of the target's children of these kinds.
    AnyChild(Vec<u16>),
    /// The pattern's only named child matches the target itself (a one-element list).
    Unwrap,
    /// A self-closing JSX element matches an element with the same opening tag (its field).
    Tag(u16),
}

pub(crate) struct LangInfo {
    pub language: Language,
    flags: Vec<u32>,
    pub assigns: Vec<AssignShape>,
    pub members: Vec<MemberShape>,
    pub calls: Vec<CallShape>,
    pub for_each: Vec<ForEachShape>,
    pub equivalences: Vec<Equivalence>,
    /// Field ids named `name` (declarators, parameters) and `body`.
    pub field_name: Option<u16>,
    pub field_body: Option<u16>,
    /// The `identifier` kind (the most common variable name kind).
    pub identifier: u16,
    /// The `expression_statement` kind, where the grammar has one.
    pub expression_statement: u16,
    kind_names: Vec<String>,
    field_names: Vec<String>,
}

impl LangInfo {
    pub(crate) fn get(lang: Language) -> &'static LangInfo {
        static ALL: OnceLock<Vec<LangInfo>> = OnceLock::new();
        let all = ALL.get_or_init(|| Language::all().iter().map(|&l| build(l)).collect());
        let index = Language::all().iter().position(|&l| l == lang).unwrap_or(0);
        &all[index]
    }

    #[inline]
    pub(crate) fn has(&self, kind: u16, flag: u32) -> bool {
        self.flags
            .get(kind as usize)
            .is_some_and(|&f| f & flag != 0)
    }

    pub(crate) fn assign(&self, kind: u16) -> Option<&AssignShape> {
        self.assigns.iter().find(|a| a.kind == kind)
    }

    pub(crate) fn member(&self, kind: u16) -> Option<&MemberShape> {
        self.members.iter().find(|a| a.kind == kind)
    }

    pub(crate) fn call(&self, kind: u16) -> Option<&CallShape> {
        self.calls.iter().find(|a| a.kind == kind)
    }

    pub(crate) fn for_each(&self, kind: u16) -> Option<&ForEachShape> {
        self.for_each.iter().find(|a| a.kind == kind)
    }

    pub(crate) fn kind_count(&self) -> usize {
        self.flags.len()
    }

    /// The grammar's name for a kind id.
    pub(crate) fn kind_name(&self, kind: u16) -> &str {
        self.kind_names
            .get(kind as usize)
            .map_or("", String::as_str)
    }

    /// Fields a pattern may leave out (a return type, an `else`, a superclass): the target's
    /// part in that field is then not compared.
    pub(crate) fn optional_field(&self, field: u16) -> bool {
        matches!(
            self.field_name(field),
            "return_type"
                | "type_parameters"
                | "type_arguments"
                | "superclass"
                | "superclasses"
                | "interfaces"
                | "alternative"
                | "result"
                | "type"
                | "returns"
                | "decorator"
                | "attributes"
                | "modifiers"
                | "throws"
                | "dimensions"
                | "bases"
                | "base"
                | "heritage"
                | "arguments"
                | "initializer"
        )
    }

    /// The grammar's name for a field id.
    pub(crate) fn field_name(&self, field: u16) -> &str {
        self.field_names
            .get(field as usize)
            .map_or("", String::as_str)
    }
}

/// (pattern kind, target kind, [(pattern field, target field)])
type FieldEquiv = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// Kind names per flag, per language.
struct Table {
    punct: &'static [&'static str],
    skip_tokens: &'static [&'static str],
    strings: &'static [&'static str],
    blocks: &'static [&'static str],
    functions: &'static [&'static str],
    lambdas: &'static [&'static str],
    classes: &'static [&'static str],
    parens: &'static [&'static str],
    skip_kinds: &'static [&'static str],
    unordered: &'static [&'static str],
    param_wrappers: &'static [&'static str],
    decorated: &'static [&'static str],
    idents: &'static [&'static str],
    decl_stmts: &'static [&'static str],
    declarators: &'static [&'static str],
    loops: &'static [&'static str],
    branches: &'static [&'static str],
    else_like: &'static [&'static str],
    lists: &'static [&'static str],
    subscripts: &'static [&'static str],
    open: &'static [&'static str],
    imports: &'static [&'static str],
    self_like: &'static [&'static str],
    /// (kind, lhs field, rhs field, augmented)
    assigns: &'static [(&'static str, &'static str, &'static str, bool)],
    /// (kind, object field, member field)
    members: &'static [(&'static str, &'static str, &'static str)],
    /// (kind, function field, receiver field, arguments field)
    calls: &'static [(&'static str, &'static str, &'static str, &'static str)],
    /// (kind, target field, iterable field)
    for_each: &'static [(&'static str, &'static str, &'static str)],
    /// (pattern kind, target kind, [(pattern field, target field)])
    field_equivs: &'static [FieldEquiv],
    /// (pattern kind, target kind, target child kinds)
    child_equivs: &'static [(&'static str, &'static str, &'static [&'static str])],
    /// (pattern kind): a one-element list matching a non-list
    unwrap_equivs: &'static [&'static str],
}

const COMMON_PUNCT: &[&str] = &["(", ")", "[", "]", "{", "}", ",", ";", "\"", "'", "`"];

const DELIMITERS: &[&str] = &[
    "string_start",
    "string_end",
    "interpolation_start",
    "interpolation_quote",
    "heredoc_start",
    "heredoc_end",
    "raw_string_delimiter",
];

const EMPTY: Table = Table {
    punct: COMMON_PUNCT,
    skip_tokens: &[],
    strings: &[],
    blocks: &[],
    functions: &[],
    lambdas: &[],
    classes: &[],
    parens: &[],
    skip_kinds: &[],
    unordered: &[],
    param_wrappers: &[],
    decorated: &[],
    idents: &["identifier"],
    decl_stmts: &[],
    declarators: &[],
    loops: &[],
    branches: &[],
    else_like: &[],
    lists: &[],
    subscripts: &[],
    open: &[],
    imports: &[],
    self_like: &[],
    assigns: &[],
    members: &[],
    calls: &[],
    for_each: &[],
    field_equivs: &[],
    child_equivs: &[],
    unwrap_equivs: &[],
};

const PYTHON: Table = Table {
    skip_tokens: &["async", "->"],
    strings: &["string", "concatenated_string"],
    blocks: &["module", "block"],
    functions: &["function_definition"],
    lambdas: &["lambda"],
    classes: &["class_definition"],
    parens: &["parenthesized_expression"],
    skip_kinds: &["decorator", "with_item"],
    unordered: &["keyword_argument", "pair"],
    param_wrappers: &[
        "typed_parameter",
        "default_parameter",
        "typed_default_parameter",
    ],
    decorated: &["decorated_definition"],
    idents: &["identifier"],
    loops: &["for_statement", "while_statement"],
    branches: &["if_statement", "match_statement"],
    subscripts: &["subscript"],
    else_like: &[
        "else_clause",
        "elif_clause",
        "except_clause",
        "except_group_clause",
        "case_clause",
    ],
    lists: &[
        "argument_list",
        "parameters",
        "lambda_parameters",
        "list",
        "tuple",
        "set",
        "dictionary",
        "expression_list",
        "pattern_list",
    ],
    imports: &["import_statement", "import_from_statement"],
    self_like: &[],
    assigns: &[
        ("assignment", "left", "right", false),
        ("augmented_assignment", "left", "right", true),
        ("named_expression", "name", "value", false),
        ("as_pattern", "alias", "", false),
    ],
    members: &[("attribute", "object", "attribute")],
    calls: &[("call", "function", "", "arguments")],
    for_each: &[
        ("for_statement", "left", "right"),
        ("for_in_clause", "left", "right"),
    ],
    ..EMPTY
};

const JAVASCRIPT: Table = Table {
    skip_tokens: &[
        "async",
        "export",
        "default",
        "static",
        "declare",
        "readonly",
        "abstract",
        "override",
        "public",
        "private",
        "protected",
    ],
    strings: &["string", "template_string"],
    blocks: &[
        "program",
        "statement_block",
        "switch_case",
        "switch_default",
    ],
    functions: &[
        "function_declaration",
        "generator_function_declaration",
        "method_definition",
    ],
    lambdas: &[
        "arrow_function",
        "function_expression",
        "function",
        "generator_function",
    ],
    classes: &["class_declaration", "class", "abstract_class_declaration"],
    parens: &["parenthesized_expression"],
    skip_kinds: &[
        "decorator",
        "type_annotation",
        "accessibility_modifier",
        "type_arguments",
        "type_parameters",
    ],
    param_wrappers: &[
        "assignment_pattern",
        "required_parameter",
        "optional_parameter",
    ],
    unordered: &["pair"],
    open: &["object", "jsx_self_closing_element", "jsx_opening_element"],
    idents: &["identifier", "shorthand_property_identifier"],
    decl_stmts: &["lexical_declaration", "variable_declaration"],
    declarators: &["variable_declarator"],
    loops: &[
        "for_statement",
        "for_in_statement",
        "while_statement",
        "do_statement",
    ],
    branches: &["if_statement", "switch_statement"],
    else_like: &[
        "else_clause",
        "catch_clause",
        "finally_clause",
        "switch_case",
        "switch_default",
    ],
    subscripts: &["subscript_expression"],
    lists: &[
        "arguments",
        "formal_parameters",
        "array",
        "object",
        "switch_body",
    ],
    imports: &["import_statement"],
    self_like: &["this", "super"],
    assigns: &[
        ("assignment_expression", "left", "right", false),
        ("augmented_assignment_expression", "left", "right", true),
        ("variable_declarator", "name", "value", false),
        ("assignment_pattern", "left", "right", false),
    ],
    members: &[("member_expression", "object", "property")],
    calls: &[
        ("call_expression", "function", "", "arguments"),
        ("new_expression", "constructor", "", "arguments"),
    ],
    for_each: &[("for_in_statement", "left", "right")],
    field_equivs: &[(
        "assignment_expression",
        "variable_declarator",
        &[("left", "name"), ("right", "value")],
    )],
    child_equivs: &[
        (
            "expression_statement",
            "lexical_declaration",
            &["variable_declarator"],
        ),
        (
            "expression_statement",
            "variable_declaration",
            &["variable_declarator"],
        ),
    ],
    ..EMPTY
};

const JAVA: Table = Table {
    skip_tokens: &["final"],
    strings: &["string_literal"],
    blocks: &[
        "program",
        "block",
        "switch_block_statement_group",
        "constructor_body",
    ],
    functions: &["method_declaration", "constructor_declaration"],
    lambdas: &["lambda_expression"],
    classes: &[
        "class_declaration",
        "interface_declaration",
        "enum_declaration",
        "record_declaration",
    ],
    parens: &["parenthesized_expression"],
    skip_kinds: &[
        "modifiers",
        "throws",
        "type_parameters",
        "dimensions",
        "variable_declarator",
        "marker_annotation",
        "annotation",
        "superclass",
        "super_interfaces",
    ],
    param_wrappers: &[],
    idents: &["identifier"],
    decl_stmts: &["local_variable_declaration", "field_declaration"],
    declarators: &["variable_declarator"],
    loops: &[
        "for_statement",
        "enhanced_for_statement",
        "while_statement",
        "do_statement",
    ],
    branches: &["if_statement", "switch_expression"],
    subscripts: &["array_access"],
    else_like: &[
        "catch_clause",
        "finally_clause",
        "switch_block_statement_group",
    ],
    lists: &["argument_list", "formal_parameters", "array_initializer"],
    imports: &["import_declaration"],
    self_like: &["this", "super"],
    assigns: &[
        ("assignment_expression", "left", "right", false),
        ("variable_declarator", "name", "value", false),
        ("resource", "name", "value", false),
    ],
    members: &[("field_access", "object", "field")],
    calls: &[
        ("method_invocation", "name", "object", "arguments"),
        ("object_creation_expression", "type", "", "arguments"),
    ],
    for_each: &[("enhanced_for_statement", "name", "value")],
    field_equivs: &[(
        "assignment_expression",
        "variable_declarator",
        &[("left", "name"), ("right", "value")],
    )],
    child_equivs: &[(
        "expression_statement",
        "local_variable_declaration",
        &["variable_declarator"],
    )],
    ..EMPTY
};

const GO: Table = Table {
    strings: &["interpreted_string_literal", "raw_string_literal"],
    blocks: &[
        "source_file",
        "statement_list",
        "expression_case",
        "default_case",
        "communication_case",
        "type_case",
    ],
    functions: &["function_declaration", "method_declaration"],
    lambdas: &["func_literal"],
    parens: &["parenthesized_expression"],
    idents: &["identifier"],
    decl_stmts: &["var_declaration", "const_declaration"],
    declarators: &["var_spec", "const_spec"],
    loops: &["for_statement"],
    branches: &[
        "if_statement",
        "expression_switch_statement",
        "type_switch_statement",
        "select_statement",
    ],
    subscripts: &["index_expression"],
    else_like: &[
        "expression_case",
        "default_case",
        "communication_case",
        "type_case",
    ],
    lists: &[
        "argument_list",
        "parameter_list",
        "literal_value",
        "expression_list",
    ],
    unordered: &["keyed_element"],
    imports: &["import_declaration"],
    assigns: &[
        ("assignment_statement", "left", "right", false),
        ("short_var_declaration", "left", "right", false),
        ("var_spec", "name", "value", false),
        ("const_spec", "name", "value", false),
    ],
    members: &[("selector_expression", "operand", "field")],
    calls: &[("call_expression", "function", "", "arguments")],
    for_each: &[("range_clause", "left", "right")],
    field_equivs: &[
        (
            "assignment_statement",
            "short_var_declaration",
            &[("left", "left"), ("right", "right")],
        ),
        (
            "assignment_statement",
            "var_spec",
            &[("left", "name"), ("right", "value")],
        ),
    ],
    unwrap_equivs: &["expression_list"],
    ..EMPTY
};

const CSHARP: Table = Table {
    skip_tokens: &[
        "async",
        "static",
        "public",
        "private",
        "protected",
        "internal",
        "override",
        "virtual",
        "readonly",
        "sealed",
    ],
    strings: &[
        "string_literal",
        "verbatim_string_literal",
        "raw_string_literal",
        "interpolated_string_expression",
    ],
    blocks: &["compilation_unit", "block", "switch_section"],
    functions: &[
        "method_declaration",
        "constructor_declaration",
        "local_function_statement",
    ],
    lambdas: &["lambda_expression", "anonymous_method_expression"],
    classes: &[
        "class_declaration",
        "interface_declaration",
        "struct_declaration",
        "record_declaration",
    ],
    parens: &["parenthesized_expression"],
    skip_kinds: &[
        "modifier",
        "attribute_list",
        "type_parameter_list",
        "base_list",
    ],
    idents: &["identifier"],
    decl_stmts: &["local_declaration_statement", "field_declaration"],
    declarators: &["variable_declarator"],
    loops: &[
        "for_statement",
        "foreach_statement",
        "while_statement",
        "do_statement",
    ],
    branches: &["if_statement", "switch_statement"],
    subscripts: &["element_access_expression"],
    else_like: &["catch_clause", "finally_clause", "switch_section"],
    lists: &["argument_list", "parameter_list", "initializer_expression"],
    imports: &["using_directive"],
    self_like: &["this", "base"],
    assigns: &[
        ("assignment_expression", "left", "right", false),
        ("variable_declarator", "name", "", false),
    ],
    members: &[("member_access_expression", "expression", "name")],
    calls: &[
        ("invocation_expression", "function", "", "arguments"),
        ("object_creation_expression", "type", "", "arguments"),
    ],
    for_each: &[("foreach_statement", "left", "right")],
    ..EMPTY
};

const PHP: Table = Table {
    skip_tokens: &[
        "static",
        "public",
        "private",
        "protected",
        "final",
        "abstract",
    ],
    strings: &["string", "encapsed_string", "heredoc", "nowdoc"],
    blocks: &[
        "program",
        "compound_statement",
        "case_statement",
        "default_statement",
    ],
    functions: &["function_definition", "method_declaration"],
    lambdas: &[
        "anonymous_function",
        "anonymous_function_creation_expression",
        "arrow_function",
    ],
    classes: &["class_declaration"],
    parens: &["parenthesized_expression"],
    skip_kinds: &[
        "visibility_modifier",
        "static_modifier",
        "final_modifier",
        "abstract_modifier",
        "attribute_list",
    ],
    param_wrappers: &[],
    idents: &["variable_name"],
    loops: &[
        "for_statement",
        "foreach_statement",
        "while_statement",
        "do_statement",
    ],
    branches: &["if_statement", "switch_statement"],
    else_like: &[
        "else_clause",
        "else_if_clause",
        "catch_clause",
        "finally_clause",
        "case_statement",
        "default_statement",
    ],
    subscripts: &["subscript_expression"],
    lists: &[
        "arguments",
        "formal_parameters",
        "array_creation_expression",
    ],
    imports: &["namespace_use_declaration"],
    self_like: &[],
    assigns: &[
        ("assignment_expression", "left", "right", false),
        ("augmented_assignment_expression", "left", "right", true),
    ],
    members: &[("member_access_expression", "object", "name")],
    calls: &[
        ("function_call_expression", "function", "", "arguments"),
        ("member_call_expression", "name", "object", "arguments"),
        ("scoped_call_expression", "name", "scope", "arguments"),
        ("object_creation_expression", "", "", ""),
    ],
    for_each: &[],
    ..EMPTY
};

const RUBY: Table = Table {
    strings: &["string"],
    blocks: &[
        "program",
        "body_statement",
        "then",
        "else",
        "do",
        "begin",
        "when",
    ],
    functions: &["method", "singleton_method"],
    lambdas: &["block", "do_block", "lambda"],
    classes: &["class", "module"],
    parens: &["parenthesized_statements"],
    unordered: &["pair"],
    idents: &["identifier", "instance_variable"],
    loops: &["for", "while", "until"],
    branches: &["if", "unless", "case"],
    subscripts: &["element_reference"],
    else_like: &["else", "elsif", "rescue", "ensure", "when"],
    lists: &[
        "argument_list",
        "method_parameters",
        "array",
        "hash",
        "block_parameters",
    ],
    assigns: &[
        ("assignment", "left", "right", false),
        ("operator_assignment", "left", "right", true),
    ],
    members: &[],
    calls: &[("call", "method", "receiver", "arguments")],
    for_each: &[("for", "pattern", "value")],
    ..EMPTY
};

const KOTLIN: Table = Table {
    strings: &["string_literal", "multiline_string_literal"],
    blocks: &[
        "source_file",
        "block",
        "statements",
        "control_structure_body",
    ],
    functions: &["function_declaration", "secondary_constructor"],
    lambdas: &["lambda_literal", "anonymous_function"],
    classes: &["class_declaration", "object_declaration"],
    parens: &["parenthesized_expression"],
    skip_kinds: &["modifiers", "annotated_lambda"],
    idents: &["identifier", "simple_identifier"],
    decl_stmts: &["property_declaration"],
    loops: &["for_statement", "while_statement", "do_while_statement"],
    branches: &["if_expression", "when_expression"],
    subscripts: &["indexing_expression"],
    else_like: &["when_entry", "catch_block", "finally_block"],
    lists: &[
        "value_arguments",
        "function_value_parameters",
        "collection_literal",
    ],
    imports: &["import", "import_header"],
    self_like: &["this_expression", "super_expression"],
    assigns: &[
        ("assignment", "left", "right", false),
        ("property_declaration", "", "", false),
    ],
    members: &[("navigation_expression", "", "")],
    calls: &[("call_expression", "", "", "")],
    for_each: &[("for_statement", "", "")],
    ..EMPTY
};

const C: Table = Table {
    strings: &[
        "string_literal",
        "raw_string_literal",
        "concatenated_string",
    ],
    blocks: &["translation_unit", "compound_statement", "case_statement"],
    functions: &["function_definition"],
    lambdas: &["lambda_expression"],
    classes: &["class_specifier", "struct_specifier"],
    parens: &["parenthesized_expression"],
    skip_kinds: &[
        "storage_class_specifier",
        "type_qualifier",
        "attribute_specifier",
    ],
    idents: &["identifier"],
    decl_stmts: &["declaration"],
    declarators: &["init_declarator"],
    loops: &[
        "for_statement",
        "while_statement",
        "do_statement",
        "for_range_loop",
    ],
    branches: &["if_statement", "switch_statement"],
    subscripts: &["subscript_expression"],
    else_like: &["else_clause", "case_statement", "catch_clause"],
    lists: &["argument_list", "parameter_list", "initializer_list"],
    imports: &["preproc_include"],
    self_like: &["this"],
    assigns: &[
        ("assignment_expression", "left", "right", false),
        ("init_declarator", "declarator", "value", false),
    ],
    members: &[("field_expression", "argument", "field")],
    calls: &[("call_expression", "function", "", "arguments")],
    for_each: &[("for_range_loop", "declarator", "right")],
    field_equivs: &[(
        "assignment_expression",
        "init_declarator",
        &[("left", "declarator"), ("right", "value")],
    )],
    child_equivs: &[("expression_statement", "declaration", &["init_declarator"])],
    ..EMPTY
};

const BASH: Table = Table {
    punct: &["(", ")", "[", "]", "{", "}", ",", ";", "\"", "$", "`"],
    strings: &["raw_string"],
    blocks: &["program", "compound_statement", "do_group", "subshell"],
    functions: &["function_definition"],
    idents: &["variable_name"],
    loops: &["for_statement", "while_statement", "c_style_for_statement"],
    branches: &["if_statement", "case_statement"],
    else_like: &["elif_clause", "else_clause", "case_item"],
    assigns: &[("variable_assignment", "name", "value", false)],
    calls: &[("command", "name", "", "")],
    for_each: &[("for_statement", "variable", "value")],
    ..EMPTY
};

fn table(lang: Language) -> &'static Table {
    match lang {
        Language::Python => &PYTHON,
        Language::JavaScript | Language::TypeScript | Language::Tsx => &JAVASCRIPT,
        Language::Java => &JAVA,
        Language::Go => &GO,
        Language::CSharp => &CSHARP,
        Language::Php => &PHP,
        Language::Ruby => &RUBY,
        Language::Kotlin => &KOTLIN,
        Language::C | Language::Cpp => &C,
        Language::Bash => &BASH,
    }
}

fn build(lang: Language) -> LangInfo {
    let ts = lang.ts_language();
    let count = ts.node_kind_count();
    let t = table(lang);
    let mut flags: Vec<u32> = (0..count)
        .map(|i| {
            if u16::try_from(i).is_ok_and(|k| ts.node_kind_is_named(k)) {
                NAMED
            } else {
                0
            }
        })
        .collect();
    // Every id with the name, named or not as asked: grammars may give one name several ids.
    let ids = |name: &str, named: bool| -> Vec<u16> {
        (0..count)
            .filter_map(|i| u16::try_from(i).ok())
            .filter(|&i| ts.node_kind_for_id(i) == Some(name) && ts.node_kind_is_named(i) == named)
            .collect()
    };
    let first = |name: &str| ids(name, true).first().copied();
    let field = |name: &str| -> Option<u16> {
        if name.is_empty() {
            return None;
        }
        ts.field_id_for_name(name).map(|f| f.get())
    };
    let mut set = |names: &[&str], named: bool, flag: u32| {
        for name in names {
            for id in ids(name, named) {
                flags[id as usize] |= flag;
            }
        }
    };
    set(t.punct, false, PUNCT);
    set(t.skip_tokens, false, SKIP_TOKEN);
    set(t.strings, true, STRING);
    set(t.blocks, true, BLOCK);
    set(t.functions, true, FUNCTION);
    set(t.lambdas, true, LAMBDA);
    set(t.classes, true, CLASS);
    set(t.parens, true, PAREN);
    set(t.skip_kinds, true, SKIP_KIND);
    set(t.unordered, true, UNORDERED);
    set(t.param_wrappers, true, PARAM_WRAPPER);
    set(t.decorated, true, DECORATED);
    set(t.idents, true, IDENT);
    set(t.decl_stmts, true, DECL_STMT);
    set(t.declarators, true, DECLARATOR);
    set(t.loops, true, LOOP);
    set(t.branches, true, BRANCH);
    set(t.else_like, true, ELSE_LIKE);
    set(t.lists, true, LIST);
    set(t.subscripts, true, SUBSCRIPT);
    set(t.open, true, OPEN);
    if lang == Language::Php {
        set(&["sequence_expression"], true, FLATTEN);
    }
    if lang == Language::Go {
        // `import "a"` matches one spec of `import ( "a"; "b" )`.
        set(&["import_spec_list"], true, FLATTEN);
        set(&["import_spec"], true, SKIP_KIND);
    }
    set(t.imports, true, IMPORT);
    set(t.self_like, true, SELF_LIKE);
    set(t.self_like, false, SELF_LIKE);
    set(DELIMITERS, true, DELIM);
    set(
        &[
            "try_statement",
            "try_with_resources_statement",
            "try_expression",
            "begin",
        ],
        true,
        TRY,
    );
    set(
        &[
            "except_clause",
            "except_group_clause",
            "catch_clause",
            "rescue",
            "catch_block",
        ],
        true,
        HANDLER,
    );
    set(
        &["finally_clause", "ensure", "finally_block"],
        true,
        FINALLY,
    );
    if matches!(lang, Language::Cpp) {
        set(&["declaration_list", "field_declaration_list"], true, BLOCK);
        set(&["lambda_expression"], true, LAMBDA);
        set(&["using_declaration"], true, IMPORT);
    }
    if matches!(lang, Language::TypeScript | Language::Tsx) {
        set(
            &["type_annotation", "type_arguments", "type_parameters"],
            true,
            SKIP_KIND,
        );
    }
    let mut assigns = Vec::new();
    for &(kind, lhs, rhs, augmented) in t.assigns {
        for id in ids(kind, true) {
            assigns.push(AssignShape {
                kind: id,
                lhs: field(lhs),
                rhs: field(rhs),
                augmented,
            });
        }
    }
    let mut members = Vec::new();
    for &(kind, object, member) in t.members {
        for id in ids(kind, true) {
            members.push(MemberShape {
                kind: id,
                object: field(object),
                member: field(member),
            });
        }
    }
    let mut calls = Vec::new();
    for &(kind, function, receiver, arguments) in t.calls {
        for id in ids(kind, true) {
            calls.push(CallShape {
                kind: id,
                function: field(function),
                receiver: field(receiver),
                arguments: field(arguments),
            });
        }
    }
    let mut for_each = Vec::new();
    for &(kind, target, iterable) in t.for_each {
        for id in ids(kind, true) {
            for_each.push(ForEachShape {
                kind: id,
                target: field(target),
                iterable: field(iterable),
            });
        }
    }
    let mut equivalences = Vec::new();
    for &(p, tk, pairs) in t.field_equivs {
        let pairs: Option<Vec<(u16, u16)>> = pairs
            .iter()
            .map(|(a, b)| Some((field(a)?, field(b)?)))
            .collect();
        if let (Some(pk), Some(pairs)) = (first(p), pairs) {
            for tid in ids(tk, true) {
                equivalences.push(Equivalence {
                    pattern: pk,
                    target: tid,
                    rule: EquivRule::Fields(pairs.clone()),
                });
            }
        }
    }
    for &(p, tk, kinds) in t.child_equivs {
        let kinds: Vec<u16> = kinds.iter().flat_map(|k| ids(k, true)).collect();
        if let Some(pk) = first(p) {
            for tid in ids(tk, true) {
                equivalences.push(Equivalence {
                    pattern: pk,
                    target: tid,
                    rule: EquivRule::AnyChild(kinds.clone()),
                });
            }
        }
    }
    if let (Some(p), Some(open_tag)) = (first("jsx_self_closing_element"), field("open_tag")) {
        for tid in ids("jsx_element", true) {
            equivalences.push(Equivalence {
                pattern: p,
                target: tid,
                rule: EquivRule::Tag(open_tag),
            });
        }
    }
    for &p in t.unwrap_equivs {
        if let Some(pk) = first(p) {
            equivalences.push(Equivalence {
                pattern: pk,
                target: u16::MAX,
                rule: EquivRule::Unwrap,
            });
        }
    }
    LangInfo {
        language: lang,
        flags,
        assigns,
        members,
        calls,
        for_each,
        equivalences,
        field_name: field("name"),
        field_body: field("body"),
        identifier: first("identifier").unwrap_or(u16::MAX),
        expression_statement: first("expression_statement").unwrap_or(u16::MAX),
        kind_names: (0..count)
            .map(|i| {
                u16::try_from(i)
                    .ok()
                    .and_then(|i| ts.node_kind_for_id(i))
                    .unwrap_or("")
                    .to_string()
            })
            .collect(),
        field_names: (0..=ts.field_count())
            .map(|i| {
                u16::try_from(i)
                    .ok()
                    .and_then(|i| ts.field_name_for_id(i))
                    .unwrap_or("")
                    .to_string()
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_resolves_its_basic_kinds() {
        for &lang in Language::all() {
            let info = LangInfo::get(lang);
            assert_eq!(info.language, lang);
            assert!(info.kind_count() > 10, "{lang}");
            let blocks = (0..info.kind_count())
                .filter(|&k| info.has(k as u16, BLOCK))
                .count();
            assert!(blocks >= 1, "{lang}: no block kind");
            if lang != Language::Bash {
                let strings = (0..info.kind_count())
                    .filter(|&k| info.has(k as u16, STRING))
                    .count();
                assert!(strings >= 1, "{lang}: no string kind");
            }
        }
    }
}
