using Microsoft.AspNetCore.Http.HttpResults;

namespace KeyDashboard.Api;

/// <summary>Maps a service's <see cref="OperationResult{T}"/> onto the HTTP answer: success, or problem details.</summary>
public static class ApiResults
{
    public static Results<TSuccess, ValidationProblem, ProblemHttpResult> From<T, TSuccess>(OperationResult<T> result, Func<T, TSuccess> success)
        where TSuccess : IResult => result.Status switch
    {
        OperationStatus.Ok => success(result.Value!),
        OperationStatus.Invalid => TypedResults.ValidationProblem(result.Errors, detail: result.Message),
        _ => Problem(result),
    };

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message);

    /// <summary>A refusal (not found, forbidden, conflict) as problem details.</summary>
    public static ProblemHttpResult Problem<T>(OperationResult<T> result) => result.Status switch
    {
        OperationStatus.NotFound => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status404NotFound),
        OperationStatus.Forbidden => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status403Forbidden),
        OperationStatus.Conflict => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict),
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.Status, "Not a refusal."),
    };
}
