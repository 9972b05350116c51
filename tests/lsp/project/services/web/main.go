package main

import (
	"io"
	"log"
	"net/http"
)

// The backend is reached through web's sidecar, on the upstream's local bind port.
func orders(w http.ResponseWriter, r *http.Request) {
	resp, err := http.Get("http://localhost:8080/orders")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	io.Copy(w, resp.Body)
}

func main() {
	http.HandleFunc("/", orders)
	log.Fatal(http.ListenAndServe("127.0.0.1:9090", nil))
}
