package dev.apiary.common.testapp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.apiary.common.tenancy.Owner;
import dev.apiary.common.tenancy.Tenancy;
import dev.apiary.common.web.ApiProblem;

/** A school-owned resource built only from common's tenancy pieces, as a service would. */
@RestController
class TenancyTestController {

    record Note(String schoolId, String text) {
    }

    record NoteView(String id, String schoolId, String client, String actor, String text) {
    }

    private final Map<String, Map<String, String>> notes = new ConcurrentHashMap<>();

    @PostMapping(path = "/api/test/v1/notes", produces = "application/json")
    NoteView create(@RequestBody Note note) {
        Owner owner = Owner.forNew(note.schoolId());
        String id = "n" + (notes.size() + 1);
        Map<String, String> fields = new ConcurrentHashMap<>(owner.fields());
        fields.put("text", note.text());
        notes.put(id, fields);
        return view(id, fields);
    }

    @GetMapping(path = "/api/test/v1/notes/{id}", produces = "application/json")
    NoteView get(@PathVariable String id) {
        Map<String, String> fields = notes.get(id);
        if (fields == null) throw ApiProblem.notFound("note", id);
        Tenancy.requireVisible(fields.get(Owner.SCHOOL_ID), "note", id);
        return view(id, fields);
    }

    private static NoteView view(String id, Map<String, String> f) {
        Owner o = Owner.of(f);
        return new NoteView(id, o.schoolId(), o.client(), o.actor(), f.get("text"));
    }
}
