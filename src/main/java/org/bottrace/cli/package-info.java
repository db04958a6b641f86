/**
 * The command line: one picocli class per subcommand, thin; the work is done by the stage packages.
 * Exit codes are named in {@link org.bottrace.cli.ExitCode}; {@link org.bottrace.cli.Cli#commandLine}
 * is the one place that maps errors to them, shared by {@code main} and the tests.
 */
package org.bottrace.cli;
