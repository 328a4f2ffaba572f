using System.Text.Json;
using KeyDashboard.Keys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace KeyDashboard.Api;

/// <summary>
/// <c>POST /leaks</c>, without credentials, as GitHub's secret scanning partners offer for their tokens: a JSON array of
/// strings found in public, and every active key among them is revoked (<see cref="LeakReports"/>). A report that can
/// be read always gets the same 202 and the same bytes, whatever it matched: a reporter learns nothing about any key.
/// Refusals (not JSON: 400 or 415; too large: 413; too many reports: 429) are decided before any key is looked at, so
/// they reveal nothing either.
/// </summary>
public static class LeakReportEndpoint
{
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>One instance for every answer: the same bytes, whatever the report matched.</summary>
    private static readonly LeakReportAnswer Accepted = new("accepted",
        $"Every active key among the first {LeakReports.MaxKeysPerReport} well-formed keys in the report has been revoked. Thank you.");
    private const string ShapeProblem = """The body must be a JSON array of strings, like ["kd_live_…"].""";

    public static RouteGroupBuilder MapLeakReports(this RouteGroupBuilder group)
    {
        group.MapPost("/leaks", ReportAsync).WithName("ReportLeakedKeys").WithTags("Leak reports")
            .WithSummary("Reports strings found in public: every active key among them is revoked (no credentials needed).")
            .WithDescription($"For secret scanners and anyone who finds a key in public. The body is a JSON array of strings; "
                + $"each that is a well-formed key (at most {LeakReports.MaxKeysPerReport} per report, strings up to {LeakReports.MaxStringLength} characters) "
                + $"and still works is revoked at once with the reason \"{LeakReports.Reason}\", and its workspace's owners and admins are told. "
                + $"The answer is always the same 202, whatever matched. Bodies over {MaxBodyBytes / 1024} KB get 413; reports are rate limited per client address.")
            .Accepts<string[]>("application/json")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType)
            // Kestrel stops reading past this (EndpointMiddleware sets IHttpMaxRequestBodySizeFeature from it); the
            // endpoint also counts the bytes itself, for servers without that feature (TestServer).
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .RequireRateLimiting(LeakReportRateLimitPolicy.Name);
        return group;
    }

    private static async Task<Results<Accepted<LeakReportAnswer>, ProblemHttpResult>> ReportAsync(HttpContext context, LeakReports reports, CancellationToken ct)
    {
        var (strings, problem) = await ReadAsync(context.Request, ct);
        if (problem is not null) return problem;
        await reports.RevokeAsync(strings!, context.Connection.RemoteIpAddress?.ToString(), ct);
        return TypedResults.Accepted((string?)null, Accepted);
    }

    private static async Task<(string?[]? Strings, ProblemHttpResult? Problem)> ReadAsync(HttpRequest http, CancellationToken ct)
    {
        // Routing answers 415 to another content type (the endpoint accepts only JSON); this is the same for none.
        if (!http.HasJsonContentType())
            return (null, TypedResults.Problem("Send a JSON array of strings with Content-Type: application/json.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"));
        if (http.ContentLength > MaxBodyBytes) return (null, TooLarge());
        try
        {
            var strings = await JsonSerializer.DeserializeAsync(new LimitedStream(http.Body, MaxBodyBytes), ApiJsonContext.Default.StringArray, ct);
            return strings is null ? (null, BadRequest(ShapeProblem)) : (strings, null);
        }
        catch (JsonException)
        {
            return (null, BadRequest(ShapeProblem));
        }
        // Ours without a Content-Length (a chunked body); Kestrel's when its own limit stops the read first.
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return (null, TooLarge());
        }
    }

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    private static ProblemHttpResult TooLarge() =>
        TypedResults.Problem($"A leak report must be at most {MaxBodyBytes / 1024} KB. Send more reports for more strings.",
            statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large");
}

/// <summary>The answer to every leak report that could be read: the same, whatever it matched.</summary>
public sealed record LeakReportAnswer(string Status, string Detail);
