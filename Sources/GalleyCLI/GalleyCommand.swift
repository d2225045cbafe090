import Foundation
import Proofreading

public enum GalleyCommand {
    public static func main(_ arguments: [String]) -> Int32 { 0 }
}
