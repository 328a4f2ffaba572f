using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace KeyDashboard.Telemetry;

public static class TelemetrySetup
{
    /// <summary>The standard OpenTelemetry setting: where the OTLP exporter sends traces and metrics. Unset, nothing is exported.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Traces of requests, outgoing HTTP calls and PostgreSQL commands; metrics of ASP.NET Core, the HTTP client, the
    /// runtime and the product's own (<see cref="KeyDashboardMetrics"/>). Exported over OTLP when an endpoint is set.
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<KeyDashboardMetrics>();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("KeyDashboard"))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(KeyDashboardMetrics.MeterName));
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey])) telemetry.UseOtlpExporter();
        return services;
    }
}
