using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace KeyDashboard.Api;

/// <summary>The API's error answers that are written outside an endpoint: RFC 9457 problem details.</summary>
public static class ApiProblems
{
    public const string ProblemJson = "application/problem+json";

    // One fixed body for every 401: missing, malformed, unknown, expired, revoked all look the same from outside
    // (no trace id either, which would differ per request). The reason goes to the server log.
    private static readonly byte[] UnauthorizedBody = Encoding.UTF8.GetBytes(
        """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.2","title":"Unauthorized","status":401,"detail":"A valid API key is required. Send it as: Authorization: Bearer <key>."}""");

    public static Task WriteUnauthorizedAsync(HttpResponse response) => WriteUnauthorizedAsync(response, UnauthorizedBody);

    public static async Task WriteUnauthorizedAsync(HttpResponse response, byte[] body)
    {
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = "Bearer";
        response.Headers.CacheControl = "no-store";
        response.ContentType = ProblemJson;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body);
    }

    public static byte[] UnauthorizedBodyWith(string detail) => Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new
    {
        type = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        title = "Unauthorized",
        status = 401,
        detail,
    }));

    public static Task WriteTooManyRequestsAsync(HttpContext context, TimeSpan retryAfter, string detail)
    {
        context.Response.Headers[HeaderNames.RetryAfter] = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
        return Problem(StatusCodes.Status429TooManyRequests, "Too many requests", detail).ExecuteAsync(context);
    }

    public static Task WriteForbiddenAsync(HttpContext context, string detail) =>
        Problem(StatusCodes.Status403Forbidden, "Forbidden", detail).ExecuteAsync(context);

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });
}
