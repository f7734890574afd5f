package com.example.ops

import java.io.File
import javax.servlet.http.HttpServletRequest
import org.springframework.web.bind.annotation.PostMapping
import org.springframework.web.bind.annotation.RequestParam
import org.springframework.web.bind.annotation.RestController

@RestController
class ArchiveController {
    @PostMapping("/archive")
    fun archive(@RequestParam name: String, @RequestParam days: Int): String {
        // ruleid: kotlin.command-injection-process
        Runtime.getRuntime().exec("tar czf /srv/archive/$name.tgz /srv/data")
        // ruleid: kotlin.command-injection-process
        ProcessBuilder("sh", "-c", "find /srv/data -name " + name).start()
        // ok: kotlin.command-injection-process
        ProcessBuilder("find", "/srv/data", "-mtime", days.toString()).start()
        // ok: kotlin.command-injection-process
        Runtime.getRuntime().exec(arrayOf("/usr/bin/logrotate", "/etc/logrotate.conf"))
        return "ok"
    }

    fun legacy(request: HttpServletRequest) {
        val host = request.getParameter("host")
        // ruleid: kotlin.command-injection-process
        val p = ProcessBuilder(listOf("ping", "-c", "1", host)).directory(File("/tmp")).start()
        // ok: kotlin.command-injection-process
        ProcessBuilder("ping", "-c", "1", "gateway.internal").start()
        p.waitFor()
    }
}
