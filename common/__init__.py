"""Small building blocks every other package uses: progress reports, unit vectors and exact
neighbours, fingerprints of inputs, and atomic writes. Nothing here imports the app's other packages."""
