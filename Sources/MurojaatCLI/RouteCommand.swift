import ArgumentParser
import Foundation
import MurojaatCore
import Store
import Tracker

struct RouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Route everything waiting in the inbox: register, assign, or send to triage.")

    @OptionGroup var locations: Locations

    func run() async throws {
        let book = try locations.loadRules()
        let store = try await locations.openStore()
        var worker = RoutingWorker(store: store, book: book, tracker: try locations.loadTrackerRules(book))
        let clock = try CommandClock.clock()
        let summary = try await storeCall { () async throws(StoreError) in
            try await worker.drain(now: clock)
        }
        Say.line(
            uz: "\(summary.total) ta murojaat yo‘naltirildi: bo‘limlarga \(summary.routed), "
                + "saralashga \(summary.triage), yopilgan maslahatlar \(summary.consultations), "
                + "boshqa idoraga yuborish uchun \(summary.outOfCompetence)",
            ru: "распределено \(summary.total): в отделы \(summary.routed), на сортировку \(summary.triage), "
                + "закрыто консультаций \(summary.consultations), к пересылке \(summary.outOfCompetence)",
            en: "routed \(summary.total): \(summary.routed) assigned to a department, \(summary.triage) to triage, "
                + "\(summary.consultations) consultations closed, \(summary.outOfCompetence) to forward")
    }
}
