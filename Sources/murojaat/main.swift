import MurojaatCLI

await MurojaatMain.run()
