using Microsoft.AspNetCore.Http.HttpResults;

namespace KeyDashboard;

public enum OperationStatus
{
    Ok, NotFound, Forbidden, Invalid, Conflict, Unavailable,
    /// <summary>A dangerous action, and the person's last authentication in this session is too old: they confirm it's them, then retry.</summary>
    ReauthenticationRequired,
}

/// <summary>
/// What a service call did. Refusals carry a message for people; <see cref="Errors"/> maps an input field to
/// what is wrong with it, so a form or a validation problem response can show it next to the field.
/// </summary>
public sealed record OperationResult<T>
{
    public OperationStatus Status { get; private init; }
    public T? Value { get; private init; }
    public string? Message { get; private init; }
    public IReadOnlyDictionary<string, string[]> Errors { get; private init; } = new Dictionary<string, string[]>();

    public bool Succeeded => Status == OperationStatus.Ok;

    public static OperationResult<T> Ok(T value) => new() { Status = OperationStatus.Ok, Value = value };
    public static OperationResult<T> NotFound(string message = "Not found.") => new() { Status = OperationStatus.NotFound, Message = message };
    public static OperationResult<T> Forbidden(string message) => new() { Status = OperationStatus.Forbidden, Message = message };
    public static OperationResult<T> Conflict(string message) => new() { Status = OperationStatus.Conflict, Message = message };
    /// <summary>Nothing was done because the database was busy or out of reach: try again in a moment.</summary>
    public static OperationResult<T> Unavailable(string message) => new() { Status = OperationStatus.Unavailable, Message = message };
    /// <summary>Nothing was done: the person must confirm it's them first (see <c>Sessions/Reauthentication</c>).</summary>
    public static OperationResult<T> ReauthenticationRequired() =>
        new() { Status = OperationStatus.ReauthenticationRequired, Message = Sessions.Reauthentication.RequiredMessage };

    public static OperationResult<T> Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new() { Status = OperationStatus.Invalid, Errors = errors, Message = string.Join(" ", errors.Values.SelectMany(e => e)) };

    public static OperationResult<T> Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>This refusal as the answer of a call that returns something else.</summary>
    public OperationResult<TOther> As<TOther>() => Succeeded
        ? throw new InvalidOperationException("Only a refusal can stand for another result.")
        : new() { Status = Status, Message = Message, Errors = Errors };
}

/// <summary>
/// A service's answer over HTTP, for the API's endpoints and the dashboard's downloads alike: the endpoint's success
/// result, a validation problem for invalid input, and RFC 9457 problem details for every refusal.
/// </summary>
public static class OperationResultHttp
{
    public static Results<TSuccess, ValidationProblem, ProblemHttpResult> ToHttpResult<T, TSuccess>(this OperationResult<T> result,
        Func<T, TSuccess> success) where TSuccess : IResult => result.Status switch
    {
        OperationStatus.Ok => success(result.Value!),
        OperationStatus.Invalid => TypedResults.ValidationProblem(result.Errors, detail: result.Message),
        _ => result.ToProblem(),
    };

    /// <summary>A refusal (not found, forbidden, conflict, unavailable) as problem details; a 503 gets <c>Retry-After</c> where problem details are written.</summary>
    public static ProblemHttpResult ToProblem<T>(this OperationResult<T> result) => result.Status switch
    {
        OperationStatus.NotFound => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status404NotFound),
        OperationStatus.Forbidden => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status403Forbidden),
        OperationStatus.Conflict => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict),
        OperationStatus.Unavailable => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status503ServiceUnavailable),
        OperationStatus.ReauthenticationRequired => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status403Forbidden,
            title: Sessions.Reauthentication.RequiredTitle),
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.Status, "Not a refusal."),
    };
}
