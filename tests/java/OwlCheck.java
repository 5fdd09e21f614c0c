// The OWL API's OWL 2 DL profile checker and HermiT's consistency check, on one ontology document.
// Run as a single source file against the HermiT.jar that owlready2 ships (it bundles the OWL API 3.4.3):
//     java -cp HermiT.jar OwlCheck.java FILE
// Prints one line per profile violation ("violation: ..."), then "consistent: true|false", then counts.
import java.io.File;

import org.semanticweb.HermiT.Configuration;
import org.semanticweb.HermiT.Reasoner;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class OwlCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        for (OWLProfileViolation violation : report.getViolations()) {
            System.out.println("violation: " + violation.toString().replace('\n', ' '));
        }
        // HermiT as Protégé runs it: the default configuration, which refuses a datatype outside the OWL 2 datatype
        // map (xsd:gYear, xsd:gYearMonth, xsd:date) in any logical axiom instead of reasoning with it as opaque.
        System.out.println("consistent: " + new Reasoner(new Configuration(), ontology).isConsistent());
        System.out.println("classes: " + ontology.getClassesInSignature().size());
        System.out.println("individuals: " + ontology.getIndividualsInSignature().size());
        System.out.println("logical axioms: " + ontology.getLogicalAxiomCount());
    }
}
