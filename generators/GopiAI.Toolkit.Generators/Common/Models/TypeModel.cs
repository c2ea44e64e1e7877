namespace GopiAI.Toolkit.Generators.Common.Models;

/// <summary>One <c>partial</c> type declaration of the containing-type chain, outermost first.</summary>
/// <param name="Keyword">The declaration head before the name, e.g. <c>partial class</c> or <c>readonly partial record struct</c>.</param>
/// <param name="NameWithTypeParameters">The name as written in a declaration, e.g. <c>Repository&lt;T&gt;</c>.</param>
internal sealed record TypeDeclarationModel(string Keyword, string NameWithTypeParameters);

/// <summary>The type that receives generated members.</summary>
/// <param name="Namespace">The namespace, or <see langword="null"/> for the global namespace.</param>
/// <param name="Declarations">The chain of declarations, outermost first, the target type last.</param>
/// <param name="FullyQualifiedName">The type as it is referenced in generated code, e.g. <c>global::N.Outer.Repo&lt;T&gt;</c>.</param>
/// <param name="DisplayName">A readable name without <c>global::</c>, used in registration names.</param>
/// <param name="Name">The simple name without type parameters.</param>
/// <param name="HintName">A file-name-safe, unique name for hint names.</param>
internal sealed record TypeModel(
    string? Namespace,
    EquatableArray<TypeDeclarationModel> Declarations,
    string FullyQualifiedName,
    string DisplayName,
    string Name,
    string HintName);
