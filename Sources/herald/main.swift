import HeraldCLI; HeraldMain.run()
