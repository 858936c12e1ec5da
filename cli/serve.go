package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/entitlint/entitlint/lsp"
)

// runServe runs the language server on stdin/stdout. The log goes to
// stderr or --log-file, never to stdout, which carries the protocol.
// Exit code: 0 after shutdown and exit, 1 when the client sent exit
// without shutdown or the stream ended first, 2 for bad flags.
func runServe(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Bool("stdio", true, "talk LSP over standard input and output (always; accepted because editors pass it)")
	level := fs.String("log-level", "info", "log level: debug, info, warn or error")
	logFile := fs.String("log-file", "", "append the log to this file instead of standard error")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: entitlint serve [flags]\n\nRuns the entitlint language server over standard input and output.\nIt uses the same rules and .entitlint.json files as 'entitlint check'.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return ExitOK
		}
		return ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "entitlint serve: unexpected argument %q\n", fs.Arg(0))
		return ExitUsage
	}
	var lvl zapcore.Level
	switch *level {
	case "debug", "info", "warn", "error":
		_ = lvl.Set(*level)
	default:
		fmt.Fprintf(stderr, "entitlint serve: unknown --log-level %q (use debug, info, warn or error)\n", *level)
		return ExitUsage
	}
	logOut := stderr
	if *logFile != "" {
		f, err := os.OpenFile(*logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			fmt.Fprintf(stderr, "entitlint serve: %v\n", err)
			return ExitUsage
		}
		defer f.Close()
		logOut = f
	}
	enc := zap.NewDevelopmentEncoderConfig()
	enc.EncodeTime = zapcore.ISO8601TimeEncoder
	log := zap.New(zapcore.NewCore(zapcore.NewConsoleEncoder(enc), zapcore.Lock(zapcore.AddSync(logOut)), lvl))
	defer func() { _ = log.Sync() }()

	stdin, stdout, restore := pollableStdio(stdin, stdout)
	defer restore()
	err := lsp.Serve(context.Background(), stdio{stdin, stdout}, lsp.Options{Logger: log, TuneGC: true})
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, lsp.ErrExitWithoutShutdown):
		return 1
	default:
		log.Error("language server stopped", zap.Error(err))
		return 1
	}
}

// stdio joins standard input and output into the stream the server reads
// and writes. Closing it closes the input (ending the read loop) and never
// the output.
type stdio struct {
	io.Reader
	io.Writer
}

func (s stdio) Close() error {
	if c, ok := s.Reader.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
