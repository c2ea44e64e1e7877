using GopiAI.Toolkit.Startup;

namespace GopiAI.Toolkit.Tests.Startup;

public sealed class StartupTaskTests
{
    [Fact]
    public void Constructor_Defaults()
    {
        var task = new StartupTask("t", _ => Task.CompletedTask);

        Assert.Equal("t", task.Name);
        Assert.Equal(0, task.Priority);
        Assert.Empty(task.DependsOn);
    }

    [Fact]
    public void Constructor_BadArguments_ThrowNamingThem()
    {
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new StartupTask(" ", _ => Task.CompletedTask)).ParamName);
        Assert.Equal("run", Assert.Throws<ArgumentNullException>(() => new StartupTask("t", null!)).ParamName);
    }

    [Fact]
    public void StartupException_Message_NamesFailedAndSkipped()
    {
        var ex = new StartupException("db", ["api"], new InvalidOperationException("down"));

        Assert.Equal("Startup task 'db' failed: down Skipped because of it: 'api'.", ex.Message);
        Assert.Contains("No other task was skipped", new StartupException("db", [], new InvalidOperationException("down")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StartupProgress_Fraction_HandlesEmptyRun()
    {
        Assert.Equal(1.0, new StartupProgress(0, 0, null, StartupStepStatus.Pending, TimeSpan.Zero).Fraction);
        Assert.Equal(0.25, new StartupProgress(1, 4, "x", StartupStepStatus.Succeeded, TimeSpan.Zero).Fraction);
    }
}
