package main

import (
	"archive/tar"
	"archive/zip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
)

func unzipStatements(src, dest string) error {
	r, err := zip.OpenReader(src)
	if err != nil {
		return err
	}
	defer r.Close()
	for _, f := range r.File {
		// ruleid: go.zip-slip
		path := filepath.Join(dest, f.Name)
		rc, err := f.Open()
		if err != nil {
			return err
		}
		out, err := os.Create(path)
		if err != nil {
			return err
		}
		io.Copy(out, rc)
		out.Close()
		rc.Close()
	}
	return nil
}

func untarBatch(r io.Reader, dest string) error {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		// ruleid: go.zip-slip
		out, err := os.Create(filepath.Join(dest, hdr.Name))
		if err != nil {
			return err
		}
		io.Copy(out, tr)
		out.Close()
	}
}

func unzipUpload(data []byte, dir string) error {
	zr, err := zip.NewReader(strings.NewReader(string(data)), int64(len(data)))
	if err != nil {
		return err
	}
	for _, entry := range zr.File {
		if entry.FileInfo().IsDir() {
			// ruleid: go.zip-slip
			os.MkdirAll(filepath.Join(dir, entry.Name), 0o750)
		}
	}
	return nil
}

func safeUnzip(src, dest string) error {
	r, err := zip.OpenReader(src)
	if err != nil {
		return err
	}
	defer r.Close()
	for _, f := range r.File {
		if !filepath.IsLocal(f.Name) {
			return errors.New("illegal file path")
		}
		// ok: go.zip-slip
		path := filepath.Join(dest, f.Name)
		_ = path
	}
	return nil
}

func safeUntar(r io.Reader, dest string) error {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err != nil {
			return err
		}
		// ok: go.zip-slip
		target := filepath.Join(dest, hdr.Name)
		if !strings.HasPrefix(target, filepath.Clean(dest)+string(os.PathSeparator)) {
			return errors.New("illegal file path")
		}
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		io.Copy(out, tr)
		out.Close()
	}
}

func safeBase(src, dest string) error {
	r, err := zip.OpenReader(src)
	if err != nil {
		return err
	}
	defer r.Close()
	for _, f := range r.File {
		// ok: go.zip-slip
		path := filepath.Join(dest, filepath.Base(f.Name))
		_ = path
	}
	return nil
}
