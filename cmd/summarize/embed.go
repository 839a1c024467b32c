package main

import (
	"io/fs"

	"github.com/summarize-dev/summarize/config"
)

func subFS(dir string) (fs.FS, error) { return fs.Sub(config.Files, dir) }
