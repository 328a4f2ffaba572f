using KeyDashboard.Data;
using Microsoft.AspNetCore.Diagnostics;

namespace KeyDashboard.Errors;

/// <summary>
/// How failures are answered, in every environment: the client's mistakes as 4xx, a busy database as 503, anything
/// else under <c>/api</c> as a 500 problem, and the dashboard's own pages for the rest (Development's error page there).
/// </summary>
public static class ErrorHandlingSetup
{
    public static IServiceCollection AddErrorHandling(this IServiceCollection services)
    {
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddSingleton<IDeveloperPageExceptionFilter, ExceptionHandlersBeforeDeveloperPage>();
        // Every 503 problem says when to come back, whichever code wrote it.
        services.AddProblemDetails(options => options.CustomizeProblemDetails = problem =>
        {
            if (problem.ProblemDetails.Status == StatusCodes.Status503ServiceUnavailable)
                problem.HttpContext.Response.Headers.RetryAfter = DatabaseUnavailable.RetryAfterSeconds.ToString();
        });
        return services;
    }

    /// <summary>First in the pipeline.</summary>
    public static WebApplication UseErrorHandling(this WebApplication app)
    {
        // Development has its error page already (added by the host); the handlers above run before it.
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        return app;
    }

    /// <summary>Lets Development's error page answer only what the exception handlers do not.</summary>
    private sealed class ExceptionHandlersBeforeDeveloperPage(IEnumerable<IExceptionHandler> handlers) : IDeveloperPageExceptionFilter
    {
        public async Task HandleExceptionAsync(ErrorContext errorContext, Func<ErrorContext, Task> next)
        {
            var context = errorContext.HttpContext;
            foreach (var handler in handlers)
                if (await handler.TryHandleAsync(context, errorContext.Exception, context.RequestAborted)) return;
            await next(errorContext);
        }
    }
}
