using GopiAI.Toolkit.Generators.Common;

namespace GopiAI.Toolkit.Generators.Tests.Common;

public class SourceWriterTests
{
    [Fact]
    public void OpenClose_NestedBlocks_IndentsFourSpacesWithLfAndNoTrailingSpaces()
    {
        var writer = new SourceWriter();

        writer.Open("class A").Open("void M()").Line("Run();").Line().Close().Close(";");

        Assert.Equal("class A\n{\n    void M()\n    {\n        Run();\n\n    }\n};\n", writer.ToString());
    }
}
