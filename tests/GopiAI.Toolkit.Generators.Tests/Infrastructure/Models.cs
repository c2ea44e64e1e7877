using GopiAI.Toolkit.Generators.Common;
using GopiAI.Toolkit.Generators.Common.Models;

namespace GopiAI.Toolkit.Generators.Tests.Infrastructure;

/// <summary>Hand-built models for emitter tests.</summary>
internal static class Models
{
    public static TypeModel Type(string? ns, string name, string keyword = "partial class") =>
        new(ns, new[] { new TypeDeclarationModel(keyword, name) }.ToEquatableArray(), "global::" + (ns is null ? string.Empty : ns + ".") + name, (ns is null ? string.Empty : ns + ".") + name, name, (ns is null ? string.Empty : ns + ".") + name);

    public static ParameterModel Parameter(string name, string type, bool isKey = true, bool isToken = false) =>
        new(name, type, string.Empty, isKey, isToken);
}
