import HeraldCLI; await HeraldMain.run()
