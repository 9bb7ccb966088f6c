"""What the window does when the user acts or the engine reports: each module is one
concern of the main window, written as a mixin that MainWindow assembles (its panels,
workers and store are the window's attributes). Long work goes to the engine process
through a Worker (desktop.engine_link); nothing here blocks the GUI thread."""
