using GopiAI.Toolkit.AspNetCore.Dashboard;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the options, alert log and statistics sources of the GopiAI.Toolkit live dashboard.</summary>
public static class GopiDashboardServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="GopiDashboardOptions"/>, the <see cref="DashboardAlerts"/> log and a
    /// <see cref="DashboardAlertLoggerProvider"/>, so that warnings logged under <see cref="GopiDashboardOptions.AlertLogCategoryPrefix"/>
    /// show up as alerts. Optional: <c>MapGopiDashboard</c> works without it, with default options and without logged alerts.
    /// Calling it again only adds the extra configuration.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adjusts the options.</param>
    /// <returns>The same collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddGopiDashboard(this IServiceCollection services, Action<GopiDashboardOptions>? configure = null)
    {
        GopiAI.Toolkit.Throw.IfNull(services);
        services.AddOptions<GopiDashboardOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GopiDashboardOptions>>().Value;
            return new DashboardAlerts(options.TimeProvider, options.MaxAlerts);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, DashboardAlertLoggerProvider>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GopiDashboardOptions>>().Value;
            return new DashboardAlertLoggerProvider(sp.GetRequiredService<DashboardAlerts>(), options.AlertLogCategoryPrefix, options.AlertLogMinimumLevel);
        }));
        return services;
    }

    /// <summary>
    /// Adds a section to the dashboard: <paramref name="read"/> is called every <see cref="GopiDashboardOptions.StatisticsInterval"/>
    /// and what it returns is shown (and written to the snapshot) under <paramref name="name"/>. For the semantic memory:
    /// <c>services.AddGopiDashboardStatistics("semanticMemory", "Semantic memory", (sp, ct) => sp.GetRequiredService&lt;SemanticMemoryManager&gt;().GetStatsAsync(ct))</c>.
    /// </summary>
    /// <typeparam name="T">What <paramref name="read"/> returns; serialized with System.Text.Json (web defaults).</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The section's key in the snapshot (camelCase, such as <c>semanticMemory</c>).</param>
    /// <param name="title">The section's heading on the page.</param>
    /// <param name="read">Reads the statistics; may return <see langword="null"/> while there is nothing to show.</param>
    /// <returns>The same collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="read"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="title"/> is null, empty or white space.</exception>
    public static IServiceCollection AddGopiDashboardStatistics<T>(this IServiceCollection services, string name, string title, Func<IServiceProvider, CancellationToken, Task<T>> read)
    {
        GopiAI.Toolkit.Throw.IfNull(services);
        GopiAI.Toolkit.Throw.IfNullOrWhiteSpace(name);
        GopiAI.Toolkit.Throw.IfNullOrWhiteSpace(title);
        GopiAI.Toolkit.Throw.IfNull(read);
        services.AddSingleton<IDashboardStatisticsSource>(sp => new DelegateStatisticsSource<T>(name, title, sp, read));
        return services;
    }

    private sealed class DelegateStatisticsSource<T>(string name, string title, IServiceProvider services, Func<IServiceProvider, CancellationToken, Task<T>> read) : IDashboardStatisticsSource
    {
        public string Name => name;

        public string Title => title;

        public async ValueTask<object?> GetStatisticsAsync(CancellationToken cancellationToken) =>
            await read(services, cancellationToken).ConfigureAwait(false);
    }
}
