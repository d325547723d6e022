package org.gongzhi.platform.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

@Controller
class HomePages {

    @GetMapping("/")
    String home() {
        return "redirect:/outfalls";
    }

    @GetMapping("/login")
    String login() {
        return "login";
    }
}
