import GalleyCLI
import Foundation

exit(GalleyCommand.main(Array(CommandLine.arguments.dropFirst())))
