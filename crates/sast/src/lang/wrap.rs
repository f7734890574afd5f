//! The contexts a pattern is tried in, per language, and how its nodes are classified.

use super::{Language, PatternKind};

/// A context around the rewritten pattern: `prefix + pattern + suffix` is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wrapper {
    /// A short name, for diagnostics (`program`, `class-body`, `method-body`, `expression`).
    pub name: &'static str,
    pub prefix: &'static str,
    pub suffix: &'static str,
    /// `Some(Expression)` when the wrapper only admits an expression.
    pub kind: Option<PatternKind>,
    /// Root kinds that mean the pattern belongs in a later wrapper (a C# method parsed as a
    /// local function at the top level).
    pub reject: &'static [&'static str],
}

const fn w(name: &'static str, prefix: &'static str, suffix: &'static str) -> Wrapper {
    Wrapper {
        name,
        prefix,
        suffix,
        kind: None,
        reject: &[],
    }
}

const fn expr(prefix: &'static str, suffix: &'static str) -> Wrapper {
    Wrapper {
        name: "expression",
        prefix,
        suffix,
        kind: Some(PatternKind::Expression),
        reject: &[],
    }
}

const PYTHON: &[Wrapper] = &[w("module", "", "\n"), expr("(", "\n)")];
const JAVASCRIPT: &[Wrapper] = &[
    w("program", "", "\n"),
    expr("(", "\n)"),
    w("class-body", "class __GH {\n", "\n}"),
    w("function-body", "function __gh() {\n", "\n}"),
];
const JAVA: &[Wrapper] = &[
    w("program", "", "\n"),
    w("class-body", "class __GH {\n", "\n}"),
    w("method-body", "class __GH { void __gh() {\n", "\n} }"),
    w(
        "expression-statement",
        "class __GH { void __gh() {\n",
        "\n;} }",
    ),
    expr("class __GH { void __gh() { __gh(\n", "\n); } }"),
    w("annotation", "class __GH {\n", "\nvoid __gh() {} }"),
];
const CSHARP: &[Wrapper] = &[
    Wrapper {
        reject: &["local_function_statement"],
        ..w("compilation-unit", "", "\n")
    },
    w("class-body", "class __GH {\n", "\n}"),
    w("method-body", "class __GH { void __gh() {\n", "\n} }"),
    w(
        "expression-statement",
        "class __GH { void __gh() {\n",
        "\n;} }",
    ),
    w("attribute", "class __GH {\n", "\nvoid __gh() {} }"),
    expr("class __GH { void __gh() { __gh(\n", "\n); } }"),
];
const GO: &[Wrapper] = &[
    w("source-file", "", "\n"),
    w("function-body", "func __gh() {\n", "\n}\n"),
    expr("func __gh() {\n__gh(", ")\n}\n"),
    w("struct-body", "type __GH struct {\n", "\n}\n"),
];
const PHP: &[Wrapper] = &[
    w("program", "<?php\n", "\n"),
    w("expression-statement", "<?php\n", "\n;\n"),
    w("class-body", "<?php\nclass __GH {\n", "\n}\n"),
    expr("<?php\n__gh(", "\n);\n"),
];
const RUBY: &[Wrapper] = &[
    w("program", "", "\n"),
    w("method-body", "def __gh\n", "\nend\n"),
    expr("__gh(", "\n)\n"),
];
const KOTLIN: &[Wrapper] = &[
    w("source-file", "", "\n"),
    w("class-body", "class __GH {\n", "\n}\n"),
    w("function-body", "fun __gh() {\n", "\n}\n"),
    expr("fun __gh() { __gh(\n", "\n) }\n"),
];
const C: &[Wrapper] = &[
    w("translation-unit", "", "\n"),
    w("function-body", "void __gh(void) {\n", "\n}\n"),
    w("expression-statement", "void __gh(void) {\n", "\n;}\n"),
    expr("void __gh(void) { __gh(\n", "\n); }\n"),
];
const CPP: &[Wrapper] = &[
    w("translation-unit", "", "\n"),
    w("function-body", "void __gh(void) {\n", "\n}\n"),
    w("expression-statement", "void __gh(void) {\n", "\n;}\n"),
    expr("void __gh(void) { __gh(\n", "\n); }\n"),
    w("class-body", "class __GH {\n", "\n};\n"),
];
const BASH: &[Wrapper] = &[w("program", "", "\n")];

/// The wrappers tried for `lang`, in order; the first that parses without error wins.
pub fn wrappers(lang: Language) -> &'static [Wrapper] {
    match lang {
        Language::Python => PYTHON,
        Language::JavaScript | Language::TypeScript | Language::Tsx => JAVASCRIPT,
        Language::Java => JAVA,
        Language::Go => GO,
        Language::CSharp => CSHARP,
        Language::Php => PHP,
        Language::Ruby => RUBY,
        Language::Kotlin => KOTLIN,
        Language::C => C,
        Language::Cpp => CPP,
        Language::Bash => BASH,
    }
}

/// Node kinds of a statement that holds just an expression; a pattern that is one of these is
/// an expression pattern, and its root is the expression.
pub fn is_expression_statement(kind: &str) -> bool {
    kind == "expression_statement"
}

/// Node kinds that make a pattern a declaration pattern.
pub fn is_declaration(lang: Language, kind: &str) -> bool {
    let kinds: &[&str] = match lang {
        Language::Python => &[
            "function_definition",
            "class_definition",
            "decorated_definition",
            "import_statement",
            "import_from_statement",
            "future_import_statement",
            "decorator",
        ],
        Language::JavaScript | Language::TypeScript | Language::Tsx => &[
            "function_declaration",
            "generator_function_declaration",
            "class_declaration",
            "abstract_class_declaration",
            "interface_declaration",
            "type_alias_declaration",
            "enum_declaration",
            "import_statement",
            "export_statement",
            "method_definition",
            "field_definition",
            "public_field_definition",
            "decorator",
        ],
        Language::Java => &[
            "class_declaration",
            "interface_declaration",
            "enum_declaration",
            "record_declaration",
            "annotation_type_declaration",
            "method_declaration",
            "constructor_declaration",
            "field_declaration",
            "import_declaration",
            "package_declaration",
            "annotation",
            "marker_annotation",
        ],
        Language::Go => &[
            "function_declaration",
            "method_declaration",
            "import_declaration",
            "package_clause",
            "type_declaration",
            "field_declaration",
        ],
        Language::CSharp => &[
            "class_declaration",
            "struct_declaration",
            "interface_declaration",
            "enum_declaration",
            "record_declaration",
            "method_declaration",
            "constructor_declaration",
            "property_declaration",
            "field_declaration",
            "local_function_statement",
            "using_directive",
            "namespace_declaration",
            "file_scoped_namespace_declaration",
            "attribute_list",
            "attribute",
        ],
        Language::Php => &[
            "function_definition",
            "class_declaration",
            "interface_declaration",
            "trait_declaration",
            "enum_declaration",
            "method_declaration",
            "property_declaration",
            "namespace_use_declaration",
            "namespace_definition",
            "attribute_list",
        ],
        Language::Ruby => &[
            "method",
            "singleton_method",
            "class",
            "module",
            "singleton_class",
        ],
        Language::Kotlin => &[
            "function_declaration",
            "class_declaration",
            "object_declaration",
            "import",
            "package_header",
            "annotation",
        ],
        Language::C | Language::Cpp => &[
            "function_definition",
            "preproc_include",
            "preproc_def",
            "preproc_function_def",
            "struct_specifier",
            "class_specifier",
            "namespace_definition",
            "template_declaration",
            "using_declaration",
            "field_declaration",
        ],
        Language::Bash => &["function_definition"],
    };
    kinds.contains(&kind)
}

/// Whether a node of this kind is a statement; a pattern that is one node of another kind (not
/// a declaration either) is an expression pattern.
pub fn is_statement(lang: Language, kind: &str) -> bool {
    if kind.ends_with("_statement")
        || kind.ends_with("_declaration")
        || matches!(kind, "block" | "statement_block" | "declaration")
    {
        return true;
    }
    let kinds: &[&str] = match lang {
        Language::Ruby => &[
            "if",
            "unless",
            "while",
            "until",
            "for",
            "case",
            "begin",
            "return",
            "break",
            "next",
            "redo",
            "retry",
            "if_modifier",
            "unless_modifier",
            "while_modifier",
            "until_modifier",
            "rescue_modifier",
        ],
        Language::Kotlin => &[
            "return_expression",
            "jump_expression",
            "property_declaration",
        ],
        Language::Bash => &[
            "if_statement",
            "for_statement",
            "c_style_for_statement",
            "while_statement",
            "case_statement",
            "compound_statement",
            "subshell",
            "variable_assignment",
            "declaration_command",
        ],
        Language::Go => &[
            "short_var_declaration",
            "assignment_statement",
            "inc_statement",
            "dec_statement",
            "send_statement",
        ],
        Language::Python => &["assert_statement", "pass_statement"],
        _ => &[],
    };
    kinds.contains(&kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_wrappers() {
        for &lang in Language::all() {
            assert!(!wrappers(lang).is_empty(), "{lang}");
        }
    }
}
