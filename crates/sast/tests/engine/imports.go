package main

import (
	ginCors "github.com/gin-contrib/cors"
)

func f() {
	// ruleid: go-cors
	_ = ginCors.Config{AllowAllOrigins: true}
	// ok: go-cors
	_ = other.Config{}
}
