using Microsoft.Extensions.Logging;

namespace Reconciler.Cli;

/// <summary>
/// Log lines (watch's events) written to the run's stderr writer, so they pass the same redactor and inert writer as
/// everything else the run prints, instead of the console logger's own writer. One line per event, as the simple
/// console logger's single-line form: <c>2025-01-02T03:04:05Z info: Category[0] message</c>.
/// </summary>
internal sealed class TerminalLoggerProvider(Terminal terminal, TimeProvider clock) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TerminalLogger(terminal, clock, categoryName);

    public void Dispose()
    {
    }

    private sealed class TerminalLogger(Terminal terminal, TimeProvider clock, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var message = formatter(state, exception) + (exception is null ? "" : " " + exception.Message);
            var line = $"{clock.GetUtcNow():yyyy-MM-ddTHH:mm:ss}Z {Level(logLevel)}: {category}[{eventId.Id}] {message.ReplaceLineEndings(" ")}";
            terminal.Error.WriteLine(line);
        }

        private static string Level(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }
}
