// Command benchplot draws entitlint's benchmark results (time and memory
// per operation against file size, log-log) as a PNG, to show that every
// stage grows linearly. It is its own module so that the plotting
// dependency never reaches entitlint's go.mod.
//
//	go test -run '^$' -bench . -benchmem ./plistxml ./rules ./lsp > bench.txt
//	cd scripts/benchplot && go run . ../../bench.txt ../../docs/benchmarks.png
package main

import (
	"bufio"
	"fmt"
	"image/color"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// A benchmark line: BenchmarkParse/1MB-2  20  1234 ns/op  56.7 MB/s  890 B/op  12 allocs/op
var line = regexp.MustCompile(`^Benchmark([A-Za-z0-9_]+)/(\d+)(KB|MB)-\d+\s+\d+\s+([\d.]+) ns/op(.*)$`)
var bytesPerOp = regexp.MustCompile(`([\d.]+) B/op`)

type point struct{ size, ns, bytes float64 }

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: benchplot BENCH_OUTPUT.txt OUT.png")
		os.Exit(2)
	}
	series, err := read(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	timePlot := newPlot("Time per operation", "ns/op")
	memPlot := newPlot("Memory allocated per operation", "bytes/op")
	names := make([]string, 0, len(series))
	for n := range series {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, name := range names {
		pts := series[name]
		sort.Slice(pts, func(a, b int) bool { return pts[a].size < pts[b].size })
		var tXY, mXY plotter.XYs
		for _, p := range pts {
			tXY = append(tXY, plotter.XY{X: p.size, Y: p.ns})
			if p.bytes > 0 {
				mXY = append(mXY, plotter.XY{X: p.size, Y: p.bytes})
			}
		}
		addLine(timePlot, name, tXY, i)
		if len(mXY) > 0 {
			addLine(memPlot, name, mXY, i)
		}
	}
	img := vgimg.New(16*vg.Centimeter, 22*vg.Centimeter)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadTop: vg.Centimeter / 2, PadBottom: vg.Centimeter / 2, PadX: vg.Centimeter / 2, PadY: vg.Centimeter}
	canvases := plot.Align([][]*plot.Plot{{timePlot}, {memPlot}}, tiles, dc)
	timePlot.Draw(canvases[0][0])
	memPlot.Draw(canvases[1][0])
	f, err := os.Create(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func read(path string) (map[string][]point, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string][]point{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := line.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		size, _ := strconv.ParseFloat(m[2], 64)
		if m[3] == "KB" {
			size *= 1 << 10
		} else {
			size *= 1 << 20
		}
		ns, _ := strconv.ParseFloat(m[4], 64)
		var b float64
		if bm := bytesPerOp.FindStringSubmatch(m[5]); bm != nil {
			b, _ = strconv.ParseFloat(bm[1], 64)
		}
		out[m[1]] = append(out[m[1]], point{size, ns, b})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no size-keyed benchmark lines (BenchmarkX/2KB-N …)", path)
	}
	return out, sc.Err()
}

func newPlot(title, unit string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "file size (bytes, log)"
	p.Y.Label.Text = unit + " (log)"
	p.X.Scale = plot.LogScale{}
	p.Y.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	p.Legend.Top = true
	p.Legend.Left = true
	p.Add(plotter.NewGrid())
	return p
}

var palette = []color.RGBA{{0x1f, 0x77, 0xb4, 255}, {0xff, 0x7f, 0x0e, 255}, {0x2c, 0xa0, 0x2c, 255}, {0xd6, 0x27, 0x28, 255},
	{0x94, 0x67, 0xbd, 255}, {0x8c, 0x56, 0x4b, 255}, {0xe3, 0x77, 0xc2, 255}, {0x7f, 0x7f, 0x7f, 255}}

func addLine(p *plot.Plot, name string, xys plotter.XYs, i int) {
	l, pts, err := plotter.NewLinePoints(xys)
	if err != nil {
		return
	}
	c := palette[i%len(palette)]
	l.Color, pts.Color = c, c
	p.Add(l, pts)
	p.Legend.Add(name, l, pts)
}
